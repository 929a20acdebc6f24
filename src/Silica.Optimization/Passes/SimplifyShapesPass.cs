using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>simplify-shapes</c>: with symbolic dimensions bound to numbers (through this pass's bindings or an
/// earlier <see cref="OnnxGraph.BindDimensions"/>), shape computations (<c>Shape → Gather → Unsqueeze → Concat
/// → Reshape</c>, <c>Range</c> over a sequence length, mask slicing) become constants. Even unbound, a
/// <c>Gather</c> or <c>Slice</c> that picks only known dimensions out of a <c>Shape</c> is folded. The
/// constant chains left behind are evaluated by <see cref="FoldConstantsPass"/>, which this pass runs.
/// </summary>
/// <remarks>Binding dimensions fixes the model to those sizes: inputs of other sizes are rejected by the runtime afterwards.</remarks>
public sealed class SimplifyShapesPass : IGraphPass
{
    private readonly IReadOnlyDictionary<string, long>? _bindings;

    /// <summary>A pass that uses the dimensions already bound on the graph.</summary>
    public SimplifyShapesPass()
    {
    }

    /// <summary>A pass that first binds <paramref name="bindings"/> (e.g. <c>batch=1, seq=128</c>) on the graph.</summary>
    public SimplifyShapesPass(IReadOnlyDictionary<string, long> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        _bindings = bindings;
    }

    /// <inheritdoc/>
    public string Name => "simplify-shapes";

    /// <inheritdoc/>
    public PassReport Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var details = new List<string>();
        var changes = 0;
        if (_bindings is { Count: > 0 })
        {
            var symbols = model.Graph.SymbolicDimensions().Where(_bindings.ContainsKey).ToList();
            if (symbols.Count > 0)
            {
                details.Add("bound " + string.Join(", ", symbols.Select(s => $"{s}={_bindings[s]}")));
                changes += symbols.Count;
            }
        }
        ShapeInferencer.Infer(model, _bindings);
        var folded = ShapeConstants.Fold(model.Graph, partial: true);
        if (folded.Count > 0)
        {
            details.Add("replaced " + string.Join(", ", folded.Select(p => $"{p.Key} x{p.Value}")) + " of known dimensions by constants");
            changes += folded.Values.Sum();
        }
        if (changes > 0)
        {
            var fold = new FoldConstantsPass().Apply(model);
            details.AddRange(fold.Details);
            changes += fold.Changes;
        }
        return new PassReport(Name, changes, details);
    }
}
