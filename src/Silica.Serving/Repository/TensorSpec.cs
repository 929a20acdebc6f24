using Silica.Onnx.Model;

namespace Silica.Serving.Repository;

/// <summary>An input or output the server checks requests against: the model's type and shape after config overrides.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="ElementType">The element type; requests must use exactly this one.</param>
/// <param name="Dims">The full shape, batch dimension first; -1 where any size is accepted.</param>
internal sealed record TensorSpec(string Name, TensorDataType ElementType, long[] Dims);
