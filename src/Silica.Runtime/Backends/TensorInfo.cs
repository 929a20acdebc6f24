using Silica.Onnx.Model;

namespace Silica.Runtime.Backends;

/// <summary>A model input or output as a session sees it.</summary>
/// <param name="Name">The tensor name in the model.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The shape; dimensions may be symbolic (<c>batch</c>) or unknown.</param>
public sealed record TensorInfo(string Name, TensorDataType ElementType, TensorShape Shape)
{
    /// <summary>True when the leading dimension is symbolic or unknown (the model takes any batch size).</summary>
    public bool HasDynamicBatch => Shape.Rank > 0 && !Shape[0].IsKnown;

    /// <summary>Checks a concrete shape against this one: same rank, same known dimensions.</summary>
    public bool Accepts(ReadOnlySpan<long> shape)
    {
        if (shape.Length != Shape.Rank)
        {
            return false;
        }
        for (var i = 0; i < shape.Length; i++)
        {
            if (Shape[i].Value is { } known && known != shape[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Type as <c>x: float[batch,16]</c>.</summary>
    public override string ToString() => $"{Name}: {ElementType.DisplayName()}{Shape}";
}
