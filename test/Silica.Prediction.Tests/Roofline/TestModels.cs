using Silica.Hardware;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Prediction.Tests.Roofline;

/// <summary>Small graphs and devices with round numbers, so expected times can be worked out by hand.</summary>
internal static class TestModels
{
    /// <summary>x[batch,1024] · W[1024,1024] → Relu → Add(x) : a GEMM, a fused epilogue, and a residual add.</summary>
    public static OnnxModel MatMulRelu()
    {
        var g = new GraphBuilder("mm", withWeights: false);
        var x = g.Input("x", TensorDataType.Float, "batch", 1024);
        var w = g.Weight("w", [1024, 1024]);
        var y = g.Node("MatMul", [x, w]);
        var r = g.Node("Relu", [y]);
        var s = g.Node("Add", [r, x]);
        g.Output(s, "out");
        return g.Build();
    }

    /// <summary>A device with 100 TFLOP/s at every format, 1000 GB/s and 16 GiB, of the given class.</summary>
    public static DeviceSpec Device(DeviceClass cls, double memoryGiB = 16) => new()
    {
        Id = "test-" + cls.ToString().ToLowerInvariant(),
        Name = "test device",
        Class = cls,
        Unit = cls == DeviceClass.Cpu ? "core" : "chip",
        Peak = new PeakThroughput(Sv(100), null, Sv(100), null, null, Sv(200)),
        MemoryGiB = cls == DeviceClass.Cpu ? null : Sv(memoryGiB),
        MemoryBandwidthGBps = Sv(1000),
        PowerW = Sv(100),
    };

    public static InstanceOffer Instance(DeviceSpec device, int count = 1, double memoryGiB = 64) => new()
    {
        Id = "test." + device.Id,
        Provider = "test",
        DeviceId = device.Id,
        DeviceCount = count,
        VCpus = 4,
        MemoryGiB = Sv(memoryGiB),
        PricePerHour = Sv(1.0),
    };

    public static ReplicaTarget Target(DeviceClass cls, double memoryGiB = 16)
    {
        var d = Device(cls, memoryGiB);
        return ReplicaTarget.Split(Instance(d), d, 1);
    }

    private static SourcedValue Sv(double v) => new(v, "test", "2026-01");
}
