using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>fold-batchnorm</c>: folds an inference BatchNormalization into the Conv (or ConvTranspose) that feeds it. With
/// <c>s = scale / sqrt(var + epsilon)</c> per output channel, the Conv's weights become <c>W·s</c> and its bias
/// <c>(b − mean)·s + B</c>, so the BatchNormalization disappears (with a per-channel bias Add between them, as Paddle
/// exports ConvTranspose, the Add folds into the bias too). Folds only when the Conv's output feeds
/// nothing else, every parameter is a constant, and the BatchNormalization is in inference mode.
/// </summary>
public sealed class FoldBatchNormPass : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "fold-batchnorm";

    /// <inheritdoc/>
    public PassReport Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var folded = 0;
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var bn in graph.Nodes.ToArray())
        {
            if (bn.OpType != "BatchNormalization" || !bn.IsDefaultDomain)
            {
                continue;
            }
            var why = TryFold(graph, bn);
            if (why is null)
            {
                folded++;
            }
            else
            {
                skipped[why] = skipped.GetValueOrDefault(why) + 1;
            }
        }
        GraphEdits.Resort(graph);
        var details = new List<string>();
        if (folded > 0)
        {
            details.Add($"folded {folded} BatchNormalization node(s) into Conv weights and bias");
        }
        details.AddRange(skipped.Select(p => $"left {p.Value} BatchNormalization node(s): {p.Key}"));
        return new PassReport(Name, folded, details);
    }

    /// <summary>Folds one BatchNormalization; returns null when folded, else why not.</summary>
    private static string? TryFold(OnnxGraph graph, Node bn)
    {
        // Paddle writes a ConvTranspose bias as a separate Add of a [1, C, 1, 1] constant: fold that too.
        var biasAdd = bn.Input(0)?.Producer is { OpType: "Add", IsDefaultDomain: true } add && add.Output(0) is { Consumers.Count: 1, IsGraphOutput: false }
            && ChannelConstant(add) is { } channel ? (Node: add, channel.Values, channel.Conv) : default;
        var convOut = biasAdd.Node is null ? bn.Input(0) : biasAdd.Conv;
        if (convOut is not { Producer: { OpType: "Conv" or "ConvTranspose", IsDefaultDomain: true } conv })
        {
            return $"its input comes from {bn.Input(0)?.Producer?.OpType ?? "a graph input or constant"}, not a Conv";
        }
        if (convOut.Consumers.Count != 1 || convOut.IsGraphOutput)
        {
            return "the Conv output has other uses";
        }
        if (bn.Outputs.Skip(1).Any(o => o is not null && (o.Consumers.Count > 0 || o.IsGraphOutput))
            || bn.Attributes.GetInt("training_mode", 0) != 0 || bn.Output(0) is not { } bnOut)
        {
            return "training-mode outputs are used";
        }
        var w = GraphEdits.ConstantOf(conv.Input(1));
        var convBias = conv.Input(2) is null ? null : GraphEdits.ConstantDoubles(conv.Input(2));
        var scale = GraphEdits.ConstantDoubles(bn.Input(1));
        var beta = GraphEdits.ConstantDoubles(bn.Input(2));
        var mean = GraphEdits.ConstantDoubles(bn.Input(3));
        var variance = GraphEdits.ConstantDoubles(bn.Input(4));
        if (w is null || w.DataType != (int)TensorDataType.Float || (conv.Input(2) is not null && convBias is null)
            || scale is null || beta is null || mean is null || variance is null)
        {
            return "a weight or statistic is not a float constant";
        }
        // Conv weights are [out, in/group, k…]; ConvTranspose weights are [in, out/group, k…].
        var transposed = conv.OpType == "ConvTranspose";
        var group = conv.Attributes.GetInt("group", 1);
        var channels = transposed ? w.Dims[1] * group : w.Dims[0];
        if (scale.Length != channels || beta.Length != channels || mean.Length != channels || variance.Length != channels
            || (convBias is not null && convBias.Length != channels) || (biasAdd.Values is not null && biasAdd.Values.Length != channels))
        {
            return "parameter sizes do not match the Conv's output channels";
        }

        var epsilon = bn.Attributes.GetFloat("epsilon", 1e-5f);
        var weights = TensorData.ToDoubleArray(w);
        var factors = new double[channels];
        var newBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // Double precision, rounded once: closer to the exact BatchNorm than ONNX Runtime's float arithmetic.
            factors[c] = scale[c] / Math.Sqrt(variance[c] + epsilon);
            var bias = (convBias?[c] ?? 0) + (biasAdd.Values?[c] ?? 0);
            newBias[c] = (float)(((bias - mean[c]) * factors[c]) + beta[c]);
        }
        var newWeights = new float[weights.Length];
        var spatial = w.Dims.Skip(2).Aggregate(1L, (a, b) => a * b);
        for (var i = 0; i < weights.Length; i++)
        {
            newWeights[i] = (float)(weights[i] * factors[OutputChannel(i, w, spatial, group, transposed)]);
        }

        var oldInputs = conv.Inputs.Concat(bn.Inputs.Skip(1)).Concat(biasAdd.Node?.Inputs ?? []).ToArray();
        var wValue = GraphEdits.AddConstant(graph, conv.Input(1)!.Name + "_bnfolded", TensorData.FromFloats("", [.. w.Dims], newWeights));
        var bValue = GraphEdits.AddConstant(graph, (conv.Input(2)?.Name ?? conv.Name + ".bias") + "_bnfolded", TensorData.FromFloats("", [channels], newBias));
        var opType = conv.OpType;
        var attributes = conv.Attributes.Select(a => a.Clone()).ToArray();
        var name = conv.Name;
        graph.RemoveNode(bn);
        if (biasAdd.Node is not null)
        {
            graph.RemoveNode(biasAdd.Node);
        }
        graph.RemoveNode(conv);
        // The new Conv produces the BatchNormalization's output value, so its name (and any graph output) stays.
        graph.AddNode(opType, [conv.Input(0), wValue, bValue], [bnOut.Name], attributes, name);
        foreach (var v in oldInputs.Where(v => v != conv.Input(0)))
        {
            GraphEdits.RemoveIfUnused(graph, v);
        }
        return null;
    }

    /// <summary>For <c>Add(convOutput, constant)</c> with one value per channel (<c>[C]</c> after dropping 1s, on axis 1): the values and the Conv output.</summary>
    private static (double[] Values, Value Conv)? ChannelConstant(Node add)
    {
        for (var side = 0; side < 2; side++)
        {
            if (add.Input(side) is { Producer.OpType: "Conv" or "ConvTranspose" } convOut && GraphEdits.ConstantOf(add.Input(1 - side)) is { DataType: (int)TensorDataType.Float } t
                && convOut.Type?.Shape is { Rank: var rank } && rank >= 2)
            {
                // Broadcast from the right: the constant's dims line up with the output's last ones; only axis 1 may exceed 1.
                var dims = t.Dims.ToArray();
                var offset = rank - dims.Length;
                if (offset >= 0 && dims.Select((d, i) => d == 1 || i + offset == 1).All(x => x))
                {
                    return (TensorData.ToDoubleArray(t), convOut);
                }
            }
        }
        return null;
    }

    /// <summary>The output channel weight element <paramref name="index"/> feeds.</summary>
    private static long OutputChannel(long index, Onnx.Protobuf.TensorProto w, long spatial, long group, bool transposed)
    {
        if (!transposed)
        {
            return index / (w.Dims[1] * spatial);
        }
        var outPerGroup = w.Dims[1];
        var inChannel = index / (outPerGroup * spatial);
        var j = index / spatial % outPerGroup;
        return (inChannel / (w.Dims[0] / group) * outPerGroup) + j;
    }
}
