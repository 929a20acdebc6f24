namespace Silica.Onnx.ShapeInference;

/// <summary>
/// Raised inside an operator's inference function to give up on one node; the inferencer turns it into
/// a <see cref="ShapeDiagnostic"/> and carries on, so one bad node never aborts the whole graph.
/// </summary>
internal sealed class ShapeInferenceException : Exception
{
    public ShapeInferenceException(string message, bool isConsequence = false)
        : base(message) => IsConsequence = isConsequence;

    /// <summary>
    /// True when the node fails only because an input's shape is itself unknown; the root cause was
    /// reported upstream, so no new diagnostic is added.
    /// </summary>
    public bool IsConsequence { get; }
}
