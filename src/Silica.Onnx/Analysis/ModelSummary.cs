using Silica.Onnx.Cost;
using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;

namespace Silica.Onnx.Analysis;

/// <summary>
/// What <c>silica inspect</c> shows about a model: its interface, operator mix and static cost, after binding
/// symbolic dimensions and inferring shapes. Every figure here is counted from the graph, not measured.
/// </summary>
/// <param name="Name">Model name (zoo name or file name).</param>
/// <param name="IrVersion">ONNX IR version.</param>
/// <param name="Opset">Default-domain opset.</param>
/// <param name="Producer">Producer named in the file.</param>
/// <param name="Weightless">True when initializers were declared without data.</param>
/// <param name="Bindings">Symbolic dimensions bound to numbers for this analysis.</param>
/// <param name="UnboundDimensions">Symbolic dimensions left unbound (costs that depend on them are unknown).</param>
/// <param name="Inputs">Graph inputs a caller feeds, with inferred types.</param>
/// <param name="Outputs">Graph outputs with inferred types.</param>
/// <param name="OpHistogram">Operator counts, most frequent first.</param>
/// <param name="Cost">Per-node and total cost.</param>
/// <param name="Diagnostics">Shape inference problems (ops that could not be inferred).</param>
public sealed record ModelSummary(
    string Name,
    long IrVersion,
    long Opset,
    string Producer,
    bool Weightless,
    IReadOnlyDictionary<string, long> Bindings,
    IReadOnlyList<string> UnboundDimensions,
    IReadOnlyList<TensorSummary> Inputs,
    IReadOnlyList<TensorSummary> Outputs,
    IReadOnlyList<KeyValuePair<string, int>> OpHistogram,
    ModelCost Cost,
    IReadOnlyList<ShapeDiagnostic> Diagnostics)
{
    /// <summary>Binds dimensions, infers shapes and counts costs for <paramref name="model"/>.</summary>
    public static ModelSummary Create(OnnxModel model, string name, IReadOnlyDictionary<string, long>? bindings = null)
    {
        bindings ??= new Dictionary<string, long>();
        var symbols = model.Graph.SymbolicDimensions();
        var unknownBindings = bindings.Keys.Where(k => !symbols.Contains(k)).ToList();
        if (unknownBindings.Count > 0)
        {
            throw new ArgumentException(
                $"the model has no symbolic dimension named {string.Join(", ", unknownBindings.Select(k => $"'{k}'"))}" +
                (symbols.Count > 0 ? $"; it has {string.Join(", ", symbols)}" : "; its input shapes are all fixed"));
        }
        var inference = ShapeInferencer.Infer(model, bindings);
        var cost = CostModel.Analyze(model);
        var histogram = model.Graph.Nodes
            .GroupBy(n => n.IsDefaultDomain ? n.OpType : $"{n.Domain}.{n.OpType}", StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.Count()))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        return new ModelSummary(
            name,
            model.IrVersion,
            model.Opset,
            model.ProducerName,
            model.IsWeightless,
            new Dictionary<string, long>(bindings),
            [.. symbols.Where(s => !bindings.ContainsKey(s))],
            [.. model.Graph.RuntimeInputs.Select(TensorSummary.Of)],
            [.. model.Graph.Outputs.Select(TensorSummary.Of)],
            histogram,
            cost,
            inference.Diagnostics);
    }
}
