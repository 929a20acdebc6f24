namespace Silica.Onnx.ShapeInference;

/// <summary>Why shape inference could not type the outputs of one node.</summary>
/// <param name="NodeName">The node's name.</param>
/// <param name="OpType">The node's operator, prefixed with its domain when not the default one.</param>
/// <param name="Message">A one-line explanation, e.g. <c>cannot infer shape of Loop node 'loop_0': unsupported operator</c>.</param>
public sealed record ShapeDiagnostic(string NodeName, string OpType, string Message)
{
    /// <summary>The message.</summary>
    public override string ToString() => Message;
}
