using Silica.Onnx.Graph;
using Silica.Optimization.Evaluation;

namespace Silica.Optimization.MixedPrecision;

/// <summary>
/// Derives "keep these layers in FP32" variants of a QDQ-quantized model (INT8 static, FP8) without quantizing
/// again: each kept layer gets its original float weight and bias back, and the Q/DQ pairs around it are rewired
/// the way the quantizer places them when the layer is excluded. Activation ranges come from the FP32 model, so
/// they are the same with or without the layer; a probe therefore costs one session and a few inferences instead
/// of a re-calibration.
/// </summary>
/// <remarks>
/// The quantizers' placement: a quantized layer's activation input is read through a Q/DQ pair. INT8 static also
/// quantizes its output point (its output, or that of a Relu that is its only consumer) for all readers, so with
/// the layer excluded its input stays quantized when it is another quantized layer's output point, and its output
/// point stays quantized only for quantized layers (and Concats) that read it. FP8 (float8 Q/DQ) quantizes
/// activation inputs only.
/// </remarks>
internal static class QdqLayerRestore
{
    private static readonly HashSet<string> LayerOps = ["Conv", "ConvTranspose", "MatMul", "Gemm"];

    /// <summary>
    /// A copy of <paramref name="loweredBytes"/> with <paramref name="nodes"/> restored from <paramref name="unlowered"/>,
    /// or null when a node is missing or its inputs are lowered some way other than QDQ (FP16/BF16 casts, integer ops).
    /// </summary>
    public static OnnxModel? Restore(byte[] loweredBytes, OnnxModel unlowered, IReadOnlySet<string> nodes)
    {
        var model = OnnxModel.Load(loweredBytes);
        var graph = model.Graph;
        var lowered = ByName(graph);
        var source = ByName(unlowered.Graph);
        bool Quantized(Node? n) => n is not null && n.IsDefaultDomain && LayerOps.Contains(n.OpType) && !nodes.Contains(n.Name)
            && n.Input(1)?.Producer is { OpType: "DequantizeLinear" } d && d.Input(0) is { IsInitializer: true };
        var outputPoints = !ModelEvaluator.HasFloat8(model);
        bool QuantizedOutputPoint(Value x) => outputPoints && (Quantized(x.Producer)
            || (x.Producer is { OpType: "Relu" } relu && relu.Input(0) is { Consumers.Count: 1 } r && Quantized(r.Producer)));

        var restored = 0;
        foreach (var name in nodes)
        {
            if (!lowered.TryGetValue(name, out var node) || !source.TryGetValue(name, out var original) || original.Inputs.Count != node.Inputs.Count)
            {
                return null;
            }
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                if (node.Inputs[i]?.Producer is not { OpType: "DequantizeLinear" } dq || dq.Input(0) is not { } quantized)
                {
                    continue;
                }
                if (quantized.IsInitializer)
                {
                    if (original.Inputs[i]?.Initializer is not { } weight)
                    {
                        return null;
                    }
                    var copy = weight.Clone();
                    copy.Name = graph.UniqueName(weight.Name + "_fp32");
                    graph.ReplaceInput(node, i, graph.AddInitializer(copy));
                }
                else if (quantized.Producer is { OpType: "QuantizeLinear" } q && q.Input(0) is { } x)
                {
                    if (!QuantizedOutputPoint(x))
                    {
                        graph.ReplaceInput(node, i, x);
                    }
                }
                else
                {
                    return null;
                }
                restored++;
            }
            if (OutputPoint(node) is { } v)
            {
                foreach (var q in v.Consumers.Where(c => c.OpType == "QuantizeLinear").ToList())
                {
                    foreach (var dq in q.Outputs.SelectMany(o => o?.Consumers ?? []).Where(c => c.OpType == "DequantizeLinear").ToList())
                    {
                        RewireReaders(graph, dq.Output(0)!, v, Quantized);
                    }
                }
            }
        }
        if (restored == 0)
        {
            return null;
        }
        RemoveDead(graph);
        return model;
    }

    /// <summary>Points every reader of the dequantized copy back at the float tensor, except quantized layers' activation slots and quantized Concats.</summary>
    private static void RewireReaders(OnnxGraph graph, Value dequantized, Value x, Func<Node?, bool> quantized)
    {
        foreach (var reader in dequantized.Consumers.Distinct().ToList())
        {
            var concatQuantized = reader.OpType == "Concat" && reader.Output(0)?.Consumers.Any(c => c.OpType == "QuantizeLinear") == true;
            for (var i = 0; i < reader.Inputs.Count; i++)
            {
                if (reader.Inputs[i] == dequantized && !(quantized(reader) && i == 0) && !concatQuantized)
                {
                    graph.ReplaceInput(reader, i, x);
                }
            }
        }
    }

    /// <summary>The tensor the quantizer quantizes after a layer: its output, or its lone Relu's.</summary>
    private static Value? OutputPoint(Node node)
    {
        var output = node.Output(0);
        if (output is { Consumers: [{ OpType: "Relu" } relu] })
        {
            output = relu.Output(0);
        }
        return output;
    }

    private static Dictionary<string, Node> ByName(OnnxGraph graph) =>
        graph.Nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>Drops the Q/DQ nodes and quantized constants nothing reads any more.</summary>
    private static void RemoveDead(OnnxGraph graph)
    {
        bool removed;
        do
        {
            removed = false;
            foreach (var node in graph.Nodes.Where(n => n.OpType is "DequantizeLinear" or "QuantizeLinear"
                && n.Outputs.All(o => o is null || (o.Consumers.Count == 0 && !o.IsGraphOutput))).ToList())
            {
                graph.RemoveNode(node);
                removed = true;
            }
        }
        while (removed);
        foreach (var v in graph.Initializers.Where(v => v.Consumers.Count == 0 && !v.IsGraphOutput && !v.IsGraphInput).ToList())
        {
            graph.RemoveInitializer(v);
        }
    }
}
