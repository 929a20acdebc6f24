using System.Globalization;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Zoo;

/// <summary>
/// Layers (convolution, normalisation, linear, activations) written node by node the way the PyTorch
/// ONNX exporter writes them, with PyTorch state-dict names for the weights, so zoo graphs look like
/// real exported models to every pass that reads them.
/// </summary>
internal sealed partial class LayerBuilder
{
    private const ulong NormStatsSalt = 0x6E6F726D5F737461UL;

    private readonly Dictionary<float, Value> _scalars = [];
    private readonly Dictionary<string, Value> _int64s = new(StringComparer.Ordinal);

    // Normalisation parameters come from their own stream so that adding a layer of one kind does not
    // shift every weight of the other kind.
    private SeededRandom _normRandom;

    public LayerBuilder(string graphName, ZooBuildOptions options)
    {
        Graph = new GraphBuilder(graphName, opset: 17, seed: options.Seed, withWeights: options.WithWeights);
        _normRandom = new SeededRandom(options.Seed ^ NormStatsSalt);
    }

    public GraphBuilder Graph { get; }

    public Value Node(string opType, IReadOnlyList<Value?> inputs, params AttributeProto[] attributes) =>
        Graph.Node(opType, inputs, attributes);

    /// <summary>A float scalar constant, shared by every node that uses the same value.</summary>
    public Value Scalar(float value)
    {
        if (!_scalars.TryGetValue(value, out var v))
        {
            v = Graph.ScalarFloat("const_" + value.ToString("R", CultureInfo.InvariantCulture), value);
            _scalars.Add(value, v);
        }
        return v;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, split sizes), shared between nodes.</summary>
    public Value Int64s(params long[] values)
    {
        var key = string.Join(",", values);
        if (!_int64s.TryGetValue(key, out var v))
        {
            v = Graph.ConstantInt64("const_i64_" + key.Replace(',', '_').Replace('-', 'm'), values);
            _int64s.Add(key, v);
        }
        return v;
    }

    /// <summary>A rank-0 int64 constant (a Gather index or a Range bound), shared between nodes.</summary>
    public Value Int64Scalar(long value)
    {
        var key = "scalar:" + value.ToString(CultureInfo.InvariantCulture);
        if (!_int64s.TryGetValue(key, out var v))
        {
            var name = Graph.Graph.UniqueName("const_i64_scalar_" + value.ToString(CultureInfo.InvariantCulture).Replace('-', 'm'));
            v = Graph.Graph.AddInitializer(TensorData.FromInt64s(name, [], [value]));
            _int64s.Add(key, v);
        }
        return v;
    }

    /// <summary>
    /// Conv without bias (it always feeds a BatchNorm). <paramref name="reluFollows"/> selects He scaling
    /// (variance 2/fan_in), which keeps the signal from fading through ReLU stacks with no trained statistics.
    /// </summary>
    public Value Conv(Value x, string name, long inChannels, long outChannels, long kernel, long stride, long group = 1, bool reluFollows = true)
    {
        var fanIn = inChannels / group * kernel * kernel;
        var w = Graph.Weight($"{name}.weight", [outChannels, inChannels / group, kernel, kernel], WeightFill.FanIn, HeFanIn(fanIn, reluFollows));
        var pad = kernel / 2;
        return Node("Conv", [x, w],
            Attr.Int("group", group),
            Attr.Ints("kernel_shape", kernel, kernel),
            Attr.Ints("pads", pad, pad, pad, pad),
            Attr.Ints("strides", stride, stride),
            Attr.Ints("dilations", 1, 1));
    }

    /// <summary>
    /// Inference BatchNormalization kept as its own node. Scale and variance lie in [0.5, 1.5] and bias and
    /// mean are small but non-zero, so a pass that folds BN into Conv is checked on real arithmetic.
    /// </summary>
    public Value BatchNorm(Value x, string name, long channels)
    {
        var scale = NormParameter($"{name}.weight", channels, 0.5f, 1.5f);
        var bias = Graph.Weight($"{name}.bias", [channels], WeightFill.Small);
        var mean = Graph.Weight($"{name}.running_mean", [channels], WeightFill.Small);
        var variance = NormParameter($"{name}.running_var", channels, 0.5f, 1.5f);
        return Node("BatchNormalization", [x, scale, bias, mean, variance], Attr.Float("epsilon", 1e-5f), Attr.Float("momentum", 0.9f));
    }

    /// <summary>LayerNormalization over the last axis (the opset-17 op, as torch exports it).</summary>
    public Value LayerNorm(Value x, string name, long hidden, float epsilon)
    {
        var scale = NormParameter($"{name}.weight", hidden, 0.8f, 1.2f);
        var bias = Graph.Weight($"{name}.bias", [hidden], WeightFill.Small);
        return Node("LayerNormalization", [x, scale, bias], Attr.Int("axis", -1), Attr.Float("epsilon", epsilon));
    }

    /// <summary>A linear layer on an N-D activation: MatMul with a [in, out] weight, then Add bias (torch's export for 3-D inputs).</summary>
    public Value Linear(Value x, string name, long inFeatures, long outFeatures, bool reluFollows = false)
    {
        var w = Graph.Weight($"{name}.weight", [inFeatures, outFeatures], WeightFill.FanIn, HeFanIn(inFeatures, reluFollows));
        var b = Graph.Weight($"{name}.bias", [outFeatures], WeightFill.Small);
        return Node("Add", [Node("MatMul", [x, w]), b]);
    }

    /// <summary>A linear layer on a 2-D activation: Gemm with a torch-layout [out, in] weight and transB=1.</summary>
    public Value Gemm(Value x, string name, long inFeatures, long outFeatures, bool reluFollows = false)
    {
        var w = Graph.Weight($"{name}.weight", [outFeatures, inFeatures], WeightFill.FanIn, HeFanIn(inFeatures, reluFollows));
        var b = Graph.Weight($"{name}.bias", [outFeatures], WeightFill.Small);
        return Node("Gemm", [x, w, b], Attr.Float("alpha", 1f), Attr.Float("beta", 1f), Attr.Int("transB", 1));
    }

    public Value Relu(Value x) => Node("Relu", [x]);

    /// <summary>ReLU6 as torch exports it at opset ≥ 11: Clip with min and max inputs.</summary>
    public Value Relu6(Value x) => Node("Clip", [x, Scalar(0f), Scalar(6f)]);

    /// <summary>Exact GELU as BERT exports it: x * 0.5 * (1 + Erf(x / sqrt 2)).</summary>
    public Value GeluErf(Value x)
    {
        var erf = Node("Erf", [Node("Div", [x, Scalar(1.4142135f)])]);
        return Node("Mul", [Node("Mul", [x, Node("Add", [erf, Scalar(1f)])]), Scalar(0.5f)]);
    }

    /// <summary>GPT-2's "gelu_new": 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).</summary>
    public Value GeluTanh(Value x)
    {
        var cube = Node("Pow", [x, Scalar(3f)]);
        var inner = Node("Mul", [Node("Add", [x, Node("Mul", [cube, Scalar(0.044715f)])]), Scalar(0.7978845608f)]);
        var tanh = Node("Tanh", [inner]);
        return Node("Mul", [Node("Mul", [x, Scalar(0.5f)]), Node("Add", [tanh, Scalar(1f)])]);
    }

    private static long HeFanIn(long fanIn, bool reluFollows) => reluFollows ? Math.Max(1, fanIn / 2) : fanIn;

    private Value NormParameter(string name, long count, float low, float high)
    {
        if (!Graph.WithWeights)
        {
            return Graph.Graph.AddInitializer(TensorData.Weightless(name, TensorDataType.Float, [count]));
        }
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * 0.5f * (_normRandom.NextSigned() + 1f);
        }
        return Graph.Graph.AddInitializer(TensorData.FromFloats(name, [count], values));
    }
}
