using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>
/// Parameter and MAC counts derived from the published architectures, independently of the zoo code, and
/// a small static walk of a CNN graph that counts its multiply-accumulates.
/// </summary>
internal static class ArchitectureCounts
{
    public const long ResNet50Published = 25_557_032;
    public const long MobileNetV2Published = 3_504_872;

    /// <summary>BERT: embeddings (+LayerNorm), L layers of attention, FFN and two LayerNorms, and the pooler.</summary>
    public static long Bert(long layers, long h, long ffn)
    {
        var embeddings = (30522 + 512 + 2) * h + 2 * h;
        var layer = 4 * h * h + 4 * h + 2 * h * ffn + h + ffn + 4 * h;
        return embeddings + layers * layer + h * h + h;
    }

    /// <summary>GPT-2: token and position embeddings (the LM head shares the token one), L blocks, final LayerNorm.</summary>
    public static long Gpt2(long layers, long h) => 50257 * h + 1024 * h + layers * (12 * h * h + 13 * h) + 2 * h;

    /// <summary>Channels of every BatchNorm in ResNet-50 (each stores a running mean and variance besides its parameters).</summary>
    public static long ResNet50BatchNormChannels()
    {
        long total = 64;
        foreach (var (blocks, width) in new[] { (3, 64L), (4, 128L), (6, 256L), (3, 512L) })
        {
            total += blocks * 6 * width + 4 * width; // bn1, bn2, bn3 per block; downsample BN in the first
        }
        return total;
    }

    /// <summary>Channels of every BatchNorm in MobileNetV2 (Table 2 of Sandler et al.).</summary>
    public static long MobileNetV2BatchNormChannels()
    {
        long total = 32, channels = 32;
        foreach (var (t, c, n) in new[] { (1L, 16L, 1), (6, 24, 2), (6, 32, 3), (6, 64, 4), (6, 96, 3), (6, 160, 3), (6, 320, 1) })
        {
            for (var i = 0; i < n; i++)
            {
                var hidden = channels * t;
                total += (t != 1 ? hidden : 0) + hidden + c;
                channels = c;
            }
        }
        return total + 1280;
    }

    /// <summary>Sum of the element counts of the float initializers: the weights.</summary>
    public static long FloatParameters(OnnxModel model, Func<string, bool>? include = null) => model.Graph.Initializers
        .Where(v => v.Initializer!.DataType == (int)TensorDataType.Float && (include?.Invoke(v.Name) ?? true))
        .Sum(v => TensorData.ElementCount(v.Initializer!));

    /// <summary>MACs of the Conv and Gemm nodes of an image model at batch 1, following [C, H, W] through the graph.</summary>
    public static long CnnMacs(OnnxModel model, long height, long width)
    {
        var dims = new Dictionary<Value, (long C, long H, long W)> { [model.Graph.RuntimeInputs.Single()] = (3, height, width) };
        long macs = 0;
        foreach (var node in model.Graph.Nodes)
        {
            var input = node.Inputs[0]!;
            if (!dims.TryGetValue(input, out var d))
            {
                continue;
            }
            var a = node.Attributes;
            (long C, long H, long W) result;
            switch (node.OpType)
            {
                case "Conv" or "MaxPool":
                    var kernel = a.GetInts("kernel_shape")!;
                    var strides = a.GetInts("strides")!;
                    var pads = a.GetInts("pads")!;
                    var h = (d.H + pads[0] + pads[2] - kernel[0]) / strides[0] + 1;
                    var w = (d.W + pads[1] + pads[3] - kernel[1]) / strides[1] + 1;
                    var c = d.C;
                    if (node.OpType == "Conv")
                    {
                        var weight = node.Inputs[1]!.Initializer!.Dims;
                        c = weight[0];
                        macs += weight[0] * weight[1] * weight[2] * weight[3] * h * w;
                    }
                    result = (c, h, w);
                    break;
                case "GlobalAveragePool":
                    result = (d.C, 1, 1);
                    break;
                case "Gemm":
                    var fc = node.Inputs[1]!.Initializer!.Dims;
                    macs += fc[0] * fc[1];
                    continue;
                default:
                    result = d;
                    break;
            }
            dims[node.Outputs[0]!] = result;
        }
        return macs;
    }
}
