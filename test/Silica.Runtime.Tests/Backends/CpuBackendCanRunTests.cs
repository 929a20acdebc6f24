using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Tensor = Silica.Runtime.Tensors.Tensor;

namespace Silica.Runtime.Tests.Backends;

public sealed class CpuBackendCanRunTests
{
    [Fact]
    public void CanRun_SupportedModel_ReturnsSupported()
    {
        var support = new CpuBackend().CanRun(TestModels.Mlp());

        Assert.True(support.IsSupported, support.Reason);
        Assert.Null(support.Reason);
    }

    [Fact]
    public void CanRun_OpsetTooNew_SaysWhich()
    {
        var support = new CpuBackend().CanRun(new OnnxModel(TestModels.Mlp().Graph, 27));

        Assert.False(support.IsSupported);
        Assert.Equal("opset 27 is newer than ONNX Runtime's CPU backend supports (26)", support.Reason);
    }

    [Fact]
    public void CanRun_CustomDomain_NamesNodeAndDomain()
    {
        var g = new GraphBuilder("custom", opset: 17);
        var x = g.Input("x", TensorDataType.Float, 2);
        g.Output(g.DomainNode("com.example", "Frobnicate", [x]), "y", new TensorType(TensorDataType.Float, TensorShape.Of(2)));

        var support = new CpuBackend().CanRun(g.Build());

        Assert.False(support.IsSupported);
        Assert.Contains("com.example.Frobnicate", support.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CanRun_WeightlessModel_NotSupported()
    {
        var g = new GraphBuilder("weightless", opset: 17, withWeights: false);
        var x = g.Input("x", TensorDataType.Float, "batch", 4);
        g.Output(g.Node("MatMul", [x, g.Weight("w", [4, 4])]), "y", new TensorType(TensorDataType.Float, new TensorShape("batch", 4)));

        var support = new CpuBackend().CanRun(g.Build());

        Assert.False(support.IsSupported);
        Assert.Contains("without data", support.Reason, StringComparison.Ordinal);
    }
}
