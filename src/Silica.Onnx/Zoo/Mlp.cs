using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// Multi-layer perceptrons (Gemm + Relu). <see cref="Mnist"/> is the MNIST-sized model that serving and batching
/// tests run thousands of times; <see cref="Tiny"/> costs a few microseconds per inference, so what a server adds
/// around the model can be measured apart from the model itself (the role of Triton's <c>simple</c> model).
/// </summary>
internal static class Mlp
{
    /// <summary>784 → 512 → 512 → 10.</summary>
    public static readonly MlpConfig Mnist = new("mlp", 784, 512, 2, 10);

    /// <summary>16 → 32 → 10.</summary>
    public static readonly MlpConfig Tiny = new("mlp-tiny", 16, 32, 1, 10);

    public static OnnxModel Build(MlpConfig config, ZooBuildOptions options)
    {
        var l = new LayerBuilder(config.Name, options);
        var x = l.Graph.Input("input", TensorDataType.Float, "batch", config.InputFeatures);
        var features = config.InputFeatures;
        for (var i = 1; i <= config.HiddenLayers; i++)
        {
            x = l.Relu(l.Gemm(x, $"fc{i}", features, config.HiddenFeatures, reluFollows: true));
            features = config.HiddenFeatures;
        }

        x = l.Gemm(x, $"fc{config.HiddenLayers + 1}", features, config.Classes);
        l.Graph.Output(x, "output", new TensorType(TensorDataType.Float, new TensorShape("batch", config.Classes)));
        return l.Graph.Build();
    }
}

/// <summary>An MLP's name and widths: <paramref name="HiddenLayers"/> hidden layers of the same width.</summary>
internal sealed record MlpConfig(string Name, long InputFeatures, long HiddenFeatures, int HiddenLayers, long Classes);
