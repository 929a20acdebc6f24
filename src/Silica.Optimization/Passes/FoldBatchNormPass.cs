using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>fold-batchnorm</c>: folds an inference BatchNormalization into the Conv that feeds it. With
/// <c>s = scale / sqrt(var + epsilon)</c> per output channel, the Conv's weights become <c>W·s</c> and its bias
/// <c>(b − mean)·s + B</c>, so the BatchNormalization disappears. Folds only when the Conv's output feeds
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
            else if (why.Length > 0)
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

    /// <summary>Folds one BatchNormalization; returns null when folded, else why not ("" when there is no Conv before it).</summary>
    private static string? TryFold(OnnxGraph graph, Node bn)
    {
        if (bn.Input(0) is not { Producer: { OpType: "Conv", IsDefaultDomain: true } conv } convOut)
        {
            return "";
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
        var channels = w.Dims[0];
        if (scale.Length != channels || beta.Length != channels || mean.Length != channels || variance.Length != channels
            || (convBias is not null && convBias.Length != channels))
        {
            return "parameter sizes do not match the Conv's output channels";
        }

        var epsilon = bn.Attributes.GetFloat("epsilon", 1e-5f);
        var weights = TensorData.ToDoubleArray(w);
        var perChannel = weights.Length / channels;
        var newWeights = new float[weights.Length];
        var newBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // Double precision, rounded once: closer to the exact BatchNorm than ONNX Runtime's float arithmetic.
            var s = scale[c] / Math.Sqrt(variance[c] + epsilon);
            for (var k = 0; k < perChannel; k++)
            {
                var i = (c * perChannel) + k;
                newWeights[i] = (float)(weights[i] * s);
            }
            newBias[c] = (float)((((convBias?[c]) ?? 0) - mean[c]) * s + beta[c]);
        }

        var oldInputs = conv.Inputs.Concat(bn.Inputs.Skip(1)).ToArray();
        var wValue = GraphEdits.AddConstant(graph, conv.Input(1)!.Name + "_bnfolded", TensorData.FromFloats("", [.. w.Dims], newWeights));
        var bValue = GraphEdits.AddConstant(graph, (conv.Input(2)?.Name ?? conv.Name + ".bias") + "_bnfolded", TensorData.FromFloats("", [channels], newBias));
        var attributes = conv.Attributes.Select(a => a.Clone()).ToArray();
        var name = conv.Name;
        graph.RemoveNode(bn);
        graph.RemoveNode(conv);
        // The new Conv produces the BatchNormalization's output value, so its name (and any graph output) stays.
        graph.AddNode("Conv", [conv.Input(0), wValue, bValue], [bnOut.Name], attributes, name);
        foreach (var v in oldInputs.Skip(1))
        {
            GraphEdits.RemoveIfUnused(graph, v);
        }
        return null;
    }
}
