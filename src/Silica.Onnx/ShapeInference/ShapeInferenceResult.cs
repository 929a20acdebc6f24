namespace Silica.Onnx.ShapeInference;

/// <summary>
/// The outcome of <see cref="ShapeInferencer.Infer"/>: the inferred types are written onto the graph's
/// values; this object says what could not be inferred and why.
/// </summary>
public sealed class ShapeInferenceResult
{
    internal ShapeInferenceResult(IReadOnlyList<ShapeDiagnostic> diagnostics, IReadOnlyList<string> incompleteValues)
    {
        Diagnostics = diagnostics;
        IncompleteValues = incompleteValues;
    }

    /// <summary>One entry per node whose outputs could not be inferred (unsupported operator, invalid attribute or input).</summary>
    public IReadOnlyList<ShapeDiagnostic> Diagnostics { get; }

    /// <summary>
    /// Names of node outputs whose type is unknown, whose rank is unknown, or which have a dimension that is
    /// neither a number nor a symbol (for example the data-dependent length of <c>NonZero</c>).
    /// </summary>
    public IReadOnlyList<string> IncompleteValues { get; }

    /// <summary>True when there are no diagnostics and every node output has a fully determined type.</summary>
    public bool IsComplete => Diagnostics.Count == 0 && IncompleteValues.Count == 0;
}
