using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;
using Silica.Optimization.Optimizer;

namespace Silica.Optimization.Tests.Optimizer;

/// <summary>The whole optimization of zoo:mlp at every precision, on ONNX Runtime: written, smaller, close to the original.</summary>
public sealed class ModelOptimizerTests : IDisposable
{
    private static readonly OnnxModel Mlp = ModelZoo.Build("mlp");

    private readonly string _dir = Directory.CreateTempSubdirectory("silica-optimizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(TargetPrecision.Fp16, 0.55)]
    [InlineData(TargetPrecision.Int8, 0.30)]
    [InlineData(TargetPrecision.Int8Dynamic, 0.30)]
    [InlineData(TargetPrecision.Fp8, 0.30)]
    public void Run_EachPrecision_WritesASmallerModelThatAgreesWithTheOriginal(TargetPrecision precision, double maxRatio)
    {
        var request = Request(precision) with { Evaluation = Synthetic(16, seed: 5) };

        var result = ModelOptimizer.Run(request);

        Assert.True(File.Exists(request.OutputPath));
        Assert.Equal(result.BytesAfter, new FileInfo(request.OutputPath).Length);
        Assert.InRange(result.SizeRatio, 0.05, maxRatio);
        Assert.Contains(result.Converted, c => c.OpType == "Gemm" || c.OpType == "MatMul");
        var top1 = Assert.Single(result.Accuracy!.Scores);
        Assert.Equal("top-1 agreement", top1.Metric);
        Assert.InRange(top1.Candidate, 0.8, 1.0);
        Assert.NotNull(result.Speed);
        Assert.InRange(result.Speed!.OptimizedMedianMs, 1e-4, 1000);
        var written = OnnxModel.Load(request.OutputPath);
        Assert.Equal(Mlp.Graph.Inputs[0].Type, written.Graph.Inputs[0].Type); // graph inputs keep their FP32 type
    }

    [Fact]
    public void Run_Bf16_AccuracyFromEmulationAndSpeedNotMeasured()
    {
        var result = ModelOptimizer.Run(Request(TargetPrecision.Bf16) with { Evaluation = Synthetic(8, 3) });

        Assert.True(result.Accuracy!.Emulated);
        Assert.Null(result.Speed);
        Assert.Contains("BF16", result.SpeedNotMeasured, StringComparison.Ordinal);
        Assert.InRange(result.SizeRatio, 0.4, 0.55);
    }

    [Fact]
    public void Run_Int8WithoutCalibration_CalibratesOnSyntheticDataAndSaysSo()
    {
        var result = ModelOptimizer.Run(Request(TargetPrecision.Int8));

        Assert.True(result.Calibration!.IsSynthetic);
        Assert.Equal(ModelOptimizer.SyntheticFallbackCount, result.Calibration.Samples);
        Assert.True(result.Accuracy!.Data.IsSynthetic);
        Assert.Contains(result.Notes, n => n.Contains("synthetic", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void Run_Int8EachMethod_Calibrates(CalibrationMethod method)
    {
        var result = ModelOptimizer.Run(Request(TargetPrecision.Int8) with { Calibration = Synthetic(8, 1), CalibrationMethod = method });
        Assert.Equal(8, result.Calibration!.Samples);
        Assert.InRange(result.Accuracy!.Scores[0].Candidate, 0.8, 1.0);
    }

    [Fact]
    public void Run_BudgetMissed_KeepsLayersUntilItHolds()
    {
        // Cosine similarity of an INT8 MLP is below 1 on any input, so a zero budget is missed and the fallback must act.
        var request = Request(TargetPrecision.Int8) with
        {
            Calibration = Synthetic(8, 1),
            Evaluation = Synthetic(8, 2),
            Metrics = [new CosineSimilarityMetric()],
            AccuracyBudget = 0.00001,
        };

        var result = ModelOptimizer.Run(request);

        Assert.True(result.Accuracy!.MeetsBudget);
        Assert.Contains(result.Kept, k => k.OpType == "Gemm");
    }

    [Fact]
    public void Run_DefaultPasses_ReportEveryPass()
    {
        var result = ModelOptimizer.Run(Request(TargetPrecision.Fp16) with { Passes = null });
        Assert.True(result.Passes.Count >= 5);
    }

    [Fact]
    public void Run_OutputFolderMissing_FailsBeforeWork()
    {
        var request = Request(TargetPrecision.Fp16) with { OutputPath = Path.Combine(_dir, "missing", "out.onnx") };
        Assert.Throws<DirectoryNotFoundException>(() => ModelOptimizer.Run(request));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    private OptimizeRequest Request(TargetPrecision precision) => new()
    {
        Model = Mlp,
        ModelName = "zoo:mlp",
        Precision = precision,
        OutputPath = Path.Combine(_dir, $"mlp-{precision}.onnx"),
        Passes = [],
        SpeedBudget = TimeSpan.FromMilliseconds(100),
    };

    private static SampleSet Synthetic(int count, int seed) => SyntheticSamples.Create(ModelInputs.Of(Mlp), new Dictionary<string, long>(), count, seed);
}
