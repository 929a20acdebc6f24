using Silica.Advisor.Measurement;
using Silica.Onnx.Cost;
using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>
/// A decoder as the <c>--llm</c> commands take it: <c>zoo:NAME</c> or an exported KV-cache decoder's .onnx file, read
/// into a <see cref="DecoderShape"/> from its <see cref="DecoderMetadata"/> and graph.
/// </summary>
/// <param name="Model">The resolved model (a runnable file and a weightless graph).</param>
/// <param name="Info">What the decoder metadata says.</param>
/// <param name="Shape">The dimensions prediction works from.</param>
public sealed record DecoderInput(ModelInput Model, DecoderInfo Info, DecoderShape Shape)
{
    /// <summary>Resolves <paramref name="source"/> and reads its decoder dimensions.</summary>
    /// <exception cref="ArgumentException">Unknown model, missing file, or a model that is not a KV-cache decoder.</exception>
    public static DecoderInput Resolve(string source)
    {
        var model = ModelInput.Resolve(source);
        var info = DecoderMetadata.TryRead(model.Graph)
            ?? throw new ArgumentException($"{source} is not a KV-cache decoder (it needs input_ids and past_key_values.N.key|value inputs, as Optimum exports them); --llm predicts decoders only");
        return new DecoderInput(model, info, ShapeOf(source, model.Graph, info));
    }

    /// <summary>The dimensions of a decoder graph: metadata where given, else the embedding table and the past inputs.</summary>
    /// <exception cref="ArgumentException">The graph does not show its hidden size or vocabulary.</exception>
    public static DecoderShape ShapeOf(string name, OnnxModel graph, DecoderInfo info)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(info);
        // The token-embedding table: the initializer a Gather looks input_ids up in, [vocab, hidden].
        var embedding = graph.Graph.Nodes
            .Where(n => n.OpType == "Gather" && n.Inputs.Count > 1 && n.Inputs[1]?.Name == "input_ids" && n.Inputs[0] is { IsInitializer: true })
            .Select(n => n.Inputs[0]!)
            .FirstOrDefault();
        var table = embedding?.Type?.Shape;
        long? TableDim(int axis) => table is { Rank: 2 } && table[axis].IsKnown ? table[axis].KnownValue : null;
        var hidden = info.Hidden ?? TableDim(1)
            ?? throw new ArgumentException($"{name}: cannot tell the hidden size (no silica.llm.hidden metadata, no [vocab, hidden] embedding table)");
        var vocab = info.Vocab ?? TableDim(0)
            ?? throw new ArgumentException($"{name}: cannot tell the vocabulary size (no logits dimension, metadata or embedding table)");
        var heads = info.Heads ?? (hidden / info.HeadDim);
        // Tied when the embedding table also feeds a matrix product (the LM head).
        var tied = embedding is not null && embedding.Consumers.Any(c => CostModel.Classify(c.OpType, c.Domain) == OpClass.Gemm);
        var cost = CostModel.Analyze(graph);
        var kernels = graph.Graph.Nodes.Count(n => CostModel.Classify(n.OpType, n.Domain) is not (OpClass.ShapeOnly or OpClass.Other));
        var stored = cost.ParameterCount > 0 ? (int)Math.Clamp(Math.Round((double)cost.ParameterBytes / cost.ParameterCount), 1, 8) : 4;
        return new DecoderShape
        {
            Name = name,
            Layers = info.Layers,
            Hidden = checked((int)hidden),
            Heads = checked((int)heads),
            KvHeads = checked((int)info.KvHeads),
            HeadDim = checked((int)info.HeadDim),
            Intermediate = checked((int)(info.Intermediate ?? (4 * hidden))),
            Vocab = checked((int)vocab),
            ParameterCount = cost.ParameterCount,
            TiedEmbeddings = tied,
            ContextLength = info.ContextLength is { } c ? checked((int)c) : null,
            GraphKernels = kernels,
            StoredBytesPerWeight = stored,
        };
    }
}
