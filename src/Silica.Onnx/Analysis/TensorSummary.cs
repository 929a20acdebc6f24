using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Analysis;

/// <summary>A named tensor's element type and shape, as text (<c>float</c>, <c>[batch,3,224,224]</c>).</summary>
/// <param name="Name">Value name.</param>
/// <param name="ElementType">Element type name.</param>
/// <param name="Shape">Shape text; <c>?</c> when unknown.</param>
public sealed record TensorSummary(string Name, string ElementType, string Shape)
{
    /// <summary>Summarizes a graph value.</summary>
    public static TensorSummary Of(Value value) =>
        new(value.Name, value.Type?.ElementType.DisplayName() ?? "?", value.Type?.Shape?.ToString() ?? "?");
}
