using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// torchvision's MobileNetV2 at width 1.0 (Sandler et al. 2018): inverted residual blocks with a 1x1
/// expansion, a depthwise 3x3 (group = channels) and a linear 1x1 projection; ReLU6 exported as Clip(0, 6).
/// 3,504,872 parameters and ≈300 MMACs at 224x224.
/// </summary>
internal static class MobileNetV2
{
    private const long StemChannels = 32;
    private const long LastChannels = 1280;

    // (expansion t, output channels c, repeats n, first stride s), Table 2 of the paper.
    private static readonly (long T, long C, int N, long S)[] Settings =
    [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ];

    public static OnnxModel Build(ZooBuildOptions options)
    {
        var l = new LayerBuilder("mobilenetv2", options);
        var x = l.Graph.Input("input", TensorDataType.Float, "batch", 3, 224, 224);
        x = ConvBnRelu6(l, x, "features.0", 3, StemChannels, kernel: 3, stride: 2, group: 1);

        var channels = StemChannels;
        var index = 1;
        foreach (var (t, c, n, s) in Settings)
        {
            for (var i = 0; i < n; i++)
            {
                x = InvertedResidual(l, x, $"features.{index++}", channels, c, i == 0 ? s : 1, t);
                channels = c;
            }
        }
        x = ConvBnRelu6(l, x, $"features.{index}", channels, LastChannels, kernel: 1, stride: 1, group: 1);

        // Dropout is the identity at inference and torch does not export it.
        x = l.Node("Flatten", [l.Node("GlobalAveragePool", [x])], Attr.Int("axis", 1));
        x = l.Gemm(x, "classifier.1", LastChannels, 1000);
        l.Graph.Output(x, "output", new TensorType(TensorDataType.Float, new TensorShape("batch", 1000)));
        return l.Graph.Build();
    }

    private static Value InvertedResidual(LayerBuilder l, Value input, string name, long inChannels, long outChannels, long stride, long expansion)
    {
        var hidden = inChannels * expansion;
        var x = input;
        var layer = 0;
        if (expansion != 1)
        {
            x = ConvBnRelu6(l, x, $"{name}.conv.{layer++}", inChannels, hidden, kernel: 1, stride: 1, group: 1);
        }
        x = ConvBnRelu6(l, x, $"{name}.conv.{layer++}", hidden, hidden, kernel: 3, stride: stride, group: hidden);
        x = l.Conv(x, $"{name}.conv.{layer}", hidden, outChannels, kernel: 1, stride: 1, reluFollows: false);
        x = l.BatchNorm(x, $"{name}.conv.{layer + 1}", outChannels);
        return stride == 1 && inChannels == outChannels ? l.Node("Add", [input, x]) : x;
    }

    private static Value ConvBnRelu6(LayerBuilder l, Value x, string name, long inChannels, long outChannels, long kernel, long stride, long group) =>
        l.Relu6(l.BatchNorm(l.Conv(x, $"{name}.0", inChannels, outChannels, kernel, stride, group), $"{name}.1", outChannels));
}
