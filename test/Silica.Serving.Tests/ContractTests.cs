using Silica.Serving.Core;

namespace Silica.Serving.Tests;

public class ContractTests
{
    [Fact]
    public void InferenceRequest_KeepsItsInputs()
    {
        var t = new NamedTensor("x", Onnx.Model.TensorDataType.Float, [1, 2], new byte[8]);
        var r = new InferenceRequest("m", null, "id-1", [t]);

        Assert.Same(t, Assert.Single(r.Inputs));
        Assert.Null(r.Outputs);
    }
}
