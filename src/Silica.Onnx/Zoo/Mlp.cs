using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// A small MNIST-sized MLP (784 → 512 → 512 → 10, Gemm + Relu): the model that serving and batching tests
/// run thousands of times, so it must load and execute in microseconds.
/// </summary>
internal static class Mlp
{
    public const long InputFeatures = 784;
    public const long HiddenFeatures = 512;
    public const long Classes = 10;

    public static OnnxModel Build(ZooBuildOptions options)
    {
        var l = new LayerBuilder("mlp", options);
        var x = l.Graph.Input("input", TensorDataType.Float, "batch", InputFeatures);
        x = l.Relu(l.Gemm(x, "fc1", InputFeatures, HiddenFeatures, reluFollows: true));
        x = l.Relu(l.Gemm(x, "fc2", HiddenFeatures, HiddenFeatures, reluFollows: true));
        x = l.Gemm(x, "fc3", HiddenFeatures, Classes);
        l.Graph.Output(x, "output", new TensorType(TensorDataType.Float, new TensorShape("batch", Classes)));
        return l.Graph.Build();
    }
}
