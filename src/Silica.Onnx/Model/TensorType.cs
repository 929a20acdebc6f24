namespace Silica.Onnx.Model;

/// <summary>The static type of a tensor value: element type and shape (null when even the rank is unknown).</summary>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The shape, or null when the rank is unknown.</param>
public sealed record TensorType(TensorDataType ElementType, TensorShape? Shape)
{
    /// <summary>Replaces bound symbols in the shape.</summary>
    public TensorType Bind(IReadOnlyDictionary<string, long> bindings) =>
        Shape is null ? this : this with { Shape = Shape.Bind(bindings) };

    /// <summary>Type as <c>float[batch,3,224,224]</c>.</summary>
    public override string ToString() => ElementType.DisplayName() + (Shape?.ToString() ?? "[?]");
}
