using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// torchvision's ResNet-50 v1.5: bottleneck blocks that downsample in the 3x3 convolution (not the first
/// 1x1, as v1 did), which is what torchvision, NVIDIA and MLPerf ship (25,557,032 parameters, ≈4.1 GMACs at
/// 224x224). BatchNormalization stays a separate node, as in an unoptimised export.
/// </summary>
internal static class ResNet
{
    private const long Expansion = 4;

    // (blocks, width) of layer1..layer4.
    private static readonly (int Blocks, long Width)[] Stages = [(3, 64), (4, 128), (6, 256), (3, 512)];

    public static OnnxModel Build50(ZooBuildOptions options)
    {
        var l = new LayerBuilder("resnet50", options);
        var x = l.Graph.Input("input", TensorDataType.Float, "batch", 3, 224, 224);
        x = l.Relu(l.BatchNorm(l.Conv(x, "conv1", 3, 64, kernel: 7, stride: 2), "bn1", 64));
        x = l.Node("MaxPool", [x],
            Attr.Int("ceil_mode", 0),
            Attr.Ints("kernel_shape", 3, 3),
            Attr.Ints("pads", 1, 1, 1, 1),
            Attr.Ints("strides", 2, 2));

        long channels = 64;
        for (var stage = 0; stage < Stages.Length; stage++)
        {
            var (blocks, width) = Stages[stage];
            for (var block = 0; block < blocks; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = Bottleneck(l, x, $"layer{stage + 1}.{block}", channels, width, stride);
                channels = width * Expansion;
            }
        }

        x = l.Node("Flatten", [l.Node("GlobalAveragePool", [x])], Attr.Int("axis", 1));
        x = l.Gemm(x, "fc", channels, 1000);
        l.Graph.Output(x, "output", new TensorType(TensorDataType.Float, new TensorShape("batch", 1000)));
        return l.Graph.Build();
    }

    private static Value Bottleneck(LayerBuilder l, Value input, string name, long inChannels, long width, long stride)
    {
        var outChannels = width * Expansion;
        var x = l.Relu(l.BatchNorm(l.Conv(input, $"{name}.conv1", inChannels, width, kernel: 1, stride: 1), $"{name}.bn1", width));
        x = l.Relu(l.BatchNorm(l.Conv(x, $"{name}.conv2", width, width, kernel: 3, stride: stride), $"{name}.bn2", width));
        x = l.BatchNorm(l.Conv(x, $"{name}.conv3", width, outChannels, kernel: 1, stride: 1, reluFollows: false), $"{name}.bn3", outChannels);

        var shortcut = input;
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = l.BatchNorm(
                l.Conv(input, $"{name}.downsample.0", inChannels, outChannels, kernel: 1, stride: stride, reluFollows: false),
                $"{name}.downsample.1", outChannels);
        }
        return l.Relu(l.Node("Add", [x, shortcut]));
    }
}
