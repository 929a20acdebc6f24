using Silica.Hardware;
using Silica.Onnx.Cost;

namespace Silica.Prediction.Tests.Roofline;

public sealed class RooflinePredictorTests
{
    private static readonly IReadOnlyDictionary<string, long> NoBindings = new Dictionary<string, long>();

    [Fact]
    public void Workload_EpilogueAfterMatMul_IsMarkedFused_ResidualAddChains()
    {
        var w = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(4);
        Assert.Equal(FusionKind.None, w.Kernels.Single(k => k.OpClass == OpClass.Gemm).Fusion);
        Assert.Equal(FusionKind.Epilogue, w.Kernels.Single(k => k.OpClass == OpClass.Activation).Fusion);
        // Add reads Relu's output (fused into the GEMM): still an epilogue of the same chain.
        Assert.Equal(FusionKind.Epilogue, w.Kernels.Single(k => k.OpClass == OpClass.Elementwise).Fusion);
    }

    [Fact]
    public void Workload_EmbeddingLookup_ChargesTheRowsNotTheTable()
    {
        var g = new Onnx.Building.GraphBuilder("emb", withWeights: false);
        var ids = g.Input("ids", Onnx.Model.TensorDataType.Int64, "batch", 16);
        var table = g.Weight("table", [30000, 256]);
        g.Output(g.Node("Gather", [table, ids]), "out");
        var w = new WorkloadBuilder(g.Build(), NoBindings).At(2);
        var gather = w.Kernels.Single();
        // The looked-up rows (and the ids, which the cost model counts in the same read).
        Assert.Equal((2 * 16 * 256 * 4) + (2 * 16 * 8), gather.WeightBytes + gather.ActivationBytes - (2 * 16 * 256 * 4));
        Assert.True(gather.WeightBytes < 40_000);
        Assert.Equal(30000L * 256 * 4, w.ParameterBytes); // memory still holds the whole table
    }

    [Fact]
    public void Workload_GeluStyleFanOut_AllPerElementConsumers_StillFused()
    {
        var g = new Onnx.Building.GraphBuilder("gelu", withWeights: false);
        var x = g.Input("x", Onnx.Model.TensorDataType.Float, "batch", 64);
        var y = g.Node("MatMul", [x, g.Weight("w", [64, 64])]);
        var half = g.Node("Mul", [y, g.ScalarFloat("h", 0.5f)]);
        var erf = g.Node("Erf", [g.Node("Div", [y, g.ScalarFloat("s", 1.41421f)])]);
        g.Output(g.Node("Mul", [half, g.Node("Add", [erf, g.ScalarFloat("one", 1f)])]), "out");
        var w = new WorkloadBuilder(g.Build(), NoBindings).At(1);
        Assert.All(w.Kernels.Where(k => k.OpClass != OpClass.Gemm), k => Assert.Equal(FusionKind.Epilogue, k.Fusion));
    }

    [Fact]
    public void Workload_FlopsScaleWithBatch()
    {
        var b = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings);
        var gemm1 = b.At(1).Kernels.Single(k => k.OpClass == OpClass.Gemm).Flops;
        var gemm8 = b.At(8).Kernels.Single(k => k.OpClass == OpClass.Gemm).Flops;
        Assert.Equal(2.0 * 1024 * 1024, gemm1);
        Assert.Equal(8 * gemm1, gemm8);
        Assert.Equal(1024L * 1024 * 4, b.At(1).ParameterBytes);
    }

    [Fact]
    public void Terms_LargeGemm_IsComputeBoundWithRamp()
    {
        var predictor = new RooflinePredictor();
        var target = TestModels.Target(DeviceClass.Gpu);
        var prior = predictor.PriorFor(DeviceClass.Gpu);
        var w = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(4096);
        var terms = predictor.Terms(w, target, NumericFormat.Bf16);
        var flops = 2.0 * 4096 * 1024 * 1024;
        var ramp = flops / (flops + (prior.HalfEfficiencyMflop * 1e6));
        var expected = flops / (100e12 * prior.Compute[OpGroup.Gemm] * ramp);
        Assert.Equal(expected, terms[TimeTerm.Gemm], 9);
        Assert.Equal(0, terms[TimeTerm.Memory]);
    }

    [Fact]
    public void Terms_BatchOneGemm_IsMemoryBound_AndBf16HalvesTheBytes()
    {
        var predictor = new RooflinePredictor();
        var target = TestModels.Target(DeviceClass.Gpu);
        var w = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(1);
        var fp32 = predictor.Terms(w, target, NumericFormat.Fp32)[TimeTerm.Memory];
        var bf16 = predictor.Terms(w, target, NumericFormat.Bf16)[TimeTerm.Memory];
        var memEff = predictor.PriorFor(DeviceClass.Gpu).MemoryEfficiency;
        // Weights 4 MiB plus x in, y out, as FP32.
        var bytes = (1024.0 * 1024 * 4) + (2 * 1024 * 4);
        Assert.Equal(bytes / (1000e9 * memEff), fp32, 12);
        Assert.Equal(fp32 / 2, bf16, 12);
    }

    [Fact]
    public void Predict_UnsupportedFormat_Throws()
    {
        var predictor = new RooflinePredictor();
        var w = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(1);
        var e = Assert.Throws<NotSupportedException>(() => predictor.Predict(w, TestModels.Target(DeviceClass.Gpu), NumericFormat.Fp8));
        Assert.Contains("fp8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_BandIsTheClassSpreadAroundTheCentre()
    {
        var predictor = new RooflinePredictor();
        var p = predictor.Predict(new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(8), TestModels.Target(DeviceClass.Tpu), NumericFormat.Bf16);
        var band = Math.Exp(1.645 * predictor.PriorFor(DeviceClass.Tpu).Spread);
        Assert.Equal(p.Seconds * band, p.HighSeconds, 12);
        Assert.Equal(p.Seconds / band, p.LowSeconds, 12);
        Assert.Equal(p.Seconds, p.SecondsByOpClass.Values.Sum(), 12);
    }

    [Fact]
    public void Memory_TinyDevice_DoesNotFit_BigOneDoes()
    {
        var w = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(1);
        Assert.False(RooflinePredictor.Memory(w, TestModels.Target(DeviceClass.Gpu, memoryGiB: 0.001), NumericFormat.Fp32).Fits);
        Assert.True(RooflinePredictor.Memory(w, TestModels.Target(DeviceClass.Gpu, memoryGiB: 1), NumericFormat.Fp32).Fits);
        var fp32 = RooflinePredictor.Memory(w, TestModels.Target(DeviceClass.Gpu), NumericFormat.Fp32).RequiredBytes;
        var int8 = RooflinePredictor.Memory(w, TestModels.Target(DeviceClass.Gpu), NumericFormat.Int8).RequiredBytes;
        Assert.Equal(fp32 / 4, int8, 6);
    }

    [Fact]
    public void Layouts_CpuInstance_OffersWholeAndSplitReplicas_AcceleratorOnePerChip()
    {
        var cpu = TestModels.Device(DeviceClass.Cpu);
        var cpuLayouts = ReplicaTarget.Layouts(TestModels.Instance(cpu, count: 16), cpu);
        Assert.Equal([1, 4, 16], cpuLayouts.Select(l => l.ReplicasPerInstance));
        Assert.All(cpuLayouts, l => Assert.Equal(16, l.ReplicasPerInstance * l.DevicesPerReplica));
        var gpu = TestModels.Device(DeviceClass.Gpu);
        var gpuLayout = Assert.Single(ReplicaTarget.Layouts(TestModels.Instance(gpu, count: 8), gpu));
        Assert.Equal(8, gpuLayout.ReplicasPerInstance);
        Assert.Equal(1, gpuLayout.DevicesPerReplica);
    }

    [Fact]
    public void Terms_MoreCpuCores_FasterButSublinear()
    {
        var predictor = new RooflinePredictor();
        var cpu = TestModels.Device(DeviceClass.Cpu);
        var w = new WorkloadBuilder(TestModels.MatMulRelu(), NoBindings).At(256);
        var prior = CalibrationFactors.Prior(0.3, "test");
        var one = predictor.Terms(w, ReplicaTarget.Split(TestModels.Instance(cpu, 1), cpu, 1), NumericFormat.Fp32).Total(prior);
        var four = predictor.Terms(w, ReplicaTarget.Split(TestModels.Instance(cpu, 4), cpu, 1), NumericFormat.Fp32).Total(prior);
        Assert.True(four < one);
        Assert.True(four > one / 4);
    }
}
