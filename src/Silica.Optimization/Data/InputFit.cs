using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Data;

/// <summary>
/// Checks a tensor read from a file against a model input and turns it into a runnable tensor. The element type must
/// match exactly (no silent conversion); fixed and bound dimensions must match; a file one rank short of the input
/// gets a leading batch dimension of 1 when the input's first dimension is the batch.
/// </summary>
internal static class InputFit
{
    public static Tensor ToTensor(RawTensor raw, TensorInfo input, IReadOnlyDictionary<string, long> bindings, string file)
    {
        if (raw.ElementType != input.ElementType)
        {
            throw new SampleDataException(
                $"'{file}': input '{input.Name}' expects {input.ElementType.DisplayName()} values, found {raw.ElementType.DisplayName()}{Hint(input.ElementType)}");
        }
        var shape = raw.Shape;
        if (shape.Length == input.Shape.Rank - 1 && IsBatchLike(input.Shape))
        {
            shape = [1, .. shape];
        }
        if (!Fits(shape, input.Shape, bindings))
        {
            throw new SampleDataException(
                $"'{file}': input '{input.Name}' expects shape {Expected(input.Shape, bindings)}, found [{string.Join(",", raw.Shape)}]");
        }
        var tensor = Tensor.Allocate(raw.ElementType, shape);
        raw.Data.CopyTo(tensor.Bytes);
        return tensor;
    }

    /// <summary>The input's shape with bound symbols replaced by their sizes, e.g. <c>[batch,3,224,224]</c>.</summary>
    public static string Expected(TensorShape shape, IReadOnlyDictionary<string, long> bindings) =>
        "[" + string.Join(",", shape.Select(d => d.IsSymbolic && bindings.TryGetValue(d.Symbol!, out var v) ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.ToString())) + "]";

    private static bool IsBatchLike(TensorShape shape) => shape.Rank > 0 && (!shape[0].IsKnown || shape[0].KnownValue == 1);

    private static bool Fits(long[] shape, TensorShape expected, IReadOnlyDictionary<string, long> bindings)
    {
        if (shape.Length != expected.Rank)
        {
            return false;
        }
        for (var i = 0; i < shape.Length; i++)
        {
            var d = expected[i];
            if (d.IsKnown && d.KnownValue != shape[i])
            {
                return false;
            }
            if (d.IsSymbolic && bindings.TryGetValue(d.Symbol!, out var bound) && bound != shape[i])
            {
                return false;
            }
        }
        return true;
    }

    private static string Hint(TensorDataType expected) => expected switch
    {
        TensorDataType.Float => " (save with arr.astype(np.float32))",
        TensorDataType.Int64 => " (save with arr.astype(np.int64))",
        TensorDataType.Int32 => " (save with arr.astype(np.int32))",
        TensorDataType.Float16 => " (save with arr.astype(np.float16))",
        _ => "",
    };
}
