using Silica.Onnx.Model;

namespace Silica.Optimization.Data;

/// <summary>A tensor read from a file before it is checked against a model input: type, shape and little-endian bytes.</summary>
internal sealed record RawTensor(TensorDataType ElementType, long[] Shape, byte[] Data, string? Name = null)
{
    public string Describe() => ElementType.DisplayName() + "[" + string.Join(",", Shape) + "]";
}
