using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using SilicaSessionOptions = Silica.Runtime.Backends.SessionOptions;
using Tensor = Silica.Runtime.Tensors.Tensor;

namespace Silica.Benchmarks;

/// <summary>
/// Per-run cost of Silica's cpu backend against ONNX Runtime's C# API used directly, on a small MLP
/// (784→512→512→10, batch 1, one intra-op thread so the comparison is not scheduler noise).
/// Baseline: <c>InferenceSession.Run</c> with pre-allocated input and output OrtValues.
/// </summary>
[MemoryDiagnoser]
public class CpuBackendBenchmarks
{
    private ISession _silica = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;
    private Tensor[] _inputs = null!;
    private Tensor[] _outputs = null!;

    private InferenceSession _ort = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _ortX = null!;
    private OrtValue _ortY = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private OrtValue[] _ortInputs = null!;
    private OrtValue[] _ortOutputs = null!;
    private OrtIoBinding _binding = null!;
    private float[] _xData = null!;
    private float[] _yData = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bytes = Mlp(784, 512, 512, 10).ToBytes();
        _silica = new CpuBackend().CreateSession(bytes, new SilicaSessionOptions { IntraOpThreads = 1, ModelName = "mlp" });
        _x = Tensor.Allocate(TensorDataType.Float, [1, 784]);
        _y = Tensor.Allocate(TensorDataType.Float, [1, 10]);
        for (var i = 0; i < 784; i++)
        {
            _x.AsFloats()[i] = MathF.Sin(i);
        }
        _inputs = [_x];
        _outputs = [_y];

        using var options = new OrtSessionOptions { IntraOpNumThreads = 1 };
        _ort = new InferenceSession(bytes, options);
        _runOptions = new RunOptions();
        _xData = GC.AllocateArray<float>(784, pinned: true);
        _x.AsFloats().CopyTo(_xData);
        _yData = GC.AllocateArray<float>(10, pinned: true);
        _ortX = OrtValue.CreateTensorValueFromMemory(_xData, [1, 784]);
        _ortY = OrtValue.CreateTensorValueFromMemory(_yData, [1, 10]);
        _inputNames = ["x"];
        _outputNames = ["y"];
        _ortInputs = [_ortX];
        _ortOutputs = [_ortY];
        _binding = _ort.CreateIoBinding();
        _binding.BindInput("x", _ortX);
        _binding.BindOutput("y", _ortY);
    }

    /// <summary>ORT's C# API directly: Run with pre-allocated input and output OrtValues.</summary>
    [Benchmark(Baseline = true)]
    public void OrtRunPreallocated() => _ort.Run(_runOptions, _inputNames, _ortInputs, _outputNames, _ortOutputs);

    /// <summary>ORT's C# API directly: a pre-bound IO binding (the floor: one native call).</summary>
    [Benchmark]
    public void OrtRunWithBinding() => _ort.RunWithBinding(_runOptions, _binding);

    /// <summary>Silica's cpu backend with reused tensors (validation + cached bindings + one native call).</summary>
    [Benchmark]
    public void SilicaRun() => _silica.Run(_inputs, _outputs);

    [GlobalCleanup]
    public void Cleanup()
    {
        _silica.Dispose();
        _x.Dispose();
        _y.Dispose();
        _binding.Dispose();
        _ortX.Dispose();
        _ortY.Dispose();
        _runOptions.Dispose();
        _ort.Dispose();
    }

    private static OnnxModel Mlp(params int[] widths)
    {
        var g = new GraphBuilder("mlp", opset: 17, seed: 3);
        var h = g.Input("x", TensorDataType.Float, "batch", widths[0]);
        for (var i = 1; i < widths.Length; i++)
        {
            h = g.Node("Add", [g.Node("MatMul", [h, g.Weight($"w{i}", [widths[i - 1], widths[i]])]), g.Weight($"b{i}", [widths[i]], WeightFill.Small)]);
            if (i < widths.Length - 1)
            {
                h = g.Node("Relu", [h]);
            }
        }
        g.Output(h, "y", new TensorType(TensorDataType.Float, new TensorShape("batch", widths[^1])));
        return g.Build();
    }
}
