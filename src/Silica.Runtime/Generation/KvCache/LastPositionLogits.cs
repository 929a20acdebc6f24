using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Generation.KvCache;

/// <summary>
/// Rewrites a decoder so <c>logits</c> come from one position per row, chosen by a new input, instead of from every
/// new token. An Optimum export computes the LM head for the whole chunk; the engine samples only after each row's
/// last new token, so for prefill chunks nearly all of that work (for llama-tiny, whose 50257 × 256 head is most of
/// its weights, about 80% of a prefill's arithmetic) and the [batch, chunk, vocab] output buffer were wasted.
/// </summary>
internal static class LastPositionLogits
{
    /// <summary>The added input: int64[batch, 1, 1], each row's position (within the new tokens) to take logits at.</summary>
    public const string InputName = "silica_last_position";

    /// <summary>
    /// Inserts <c>GatherND(hidden, silica_last_position, batch_dims = 1)</c> in front of the MatMul that produces
    /// <c>logits</c> (directly or through Identity nodes). Returns false, leaving the graph as it was, when logits are not such a MatMul or the opset is
    /// older than 12 (GatherND's batch_dims).
    /// </summary>
    public static bool TryApply(OnnxModel model)
    {
        var g = model.Graph;
        if (model.Opset < 12 || g.FindValue(InputName) is not null)
        {
            return false;
        }
        var logits = g.Outputs.FirstOrDefault(o => o.Name == "logits");
        var head = logits?.Producer;
        while (head is { OpType: "Identity" })
        {
            head = head.Inputs[0]?.Producer;
        }
        if (logits is null || head is not { OpType: "MatMul" } || head.Inputs[0] is not { } hidden
            || hidden.Type?.Shape is { } s && s.Rank != 3)
        {
            return false;
        }
        var batch = logits.Type?.Shape is { Rank: 3 } declared ? declared[0] : Dim.Named("batch");
        var index = g.AddInput(InputName, new TensorType(TensorDataType.Int64, new TensorShape(batch, Dim.Of(1), Dim.Of(1))));
        var gather = g.AddNode("GatherND", [hidden, index], [g.UniqueName("silica_last_hidden")], [Attr.Int("batch_dims", 1)]);
        g.ReplaceInput(head, 0, gather.Outputs[0]);
        g.ReorderNodes(g.TopologicalOrder());
        if (logits.Type?.Shape is { Rank: 3 } shape)
        {
            logits.Type = logits.Type with { Shape = new TensorShape(shape[0], Dim.Of(1), shape[2]) };
        }
        return true;
    }
}
