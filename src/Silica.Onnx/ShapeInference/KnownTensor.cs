using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.ShapeInference;

/// <summary>
/// The value of a small tensor known at inference time (partial constant propagation). Integer and bool
/// tensors keep <see cref="SymbolicInt"/> elements so symbols survive; floating-point ones keep doubles.
/// </summary>
internal sealed class KnownTensor
{
    /// <summary>Tensors larger than this are not tracked: shape arithmetic only needs small ones.</summary>
    public const int MaxElements = 4096;

    private KnownTensor(TensorDataType type, long[] dims, SymbolicInt[]? ints, double[]? floats)
    {
        Type = type;
        Dims = dims;
        Ints = ints;
        Floats = floats;
    }

    public TensorDataType Type { get; }

    public long[] Dims { get; }

    /// <summary>Elements of an integer or bool tensor; null for floating point.</summary>
    public SymbolicInt[]? Ints { get; }

    /// <summary>Elements of a floating-point tensor; null for integers.</summary>
    public double[]? Floats { get; }

    public int Count => Ints?.Length ?? Floats!.Length;

    public static bool IsIntegral(TensorDataType t) => t.IsInteger() || t == TensorDataType.Bool;

    public static KnownTensor OfInts(TensorDataType type, long[] dims, SymbolicInt[] values) => new(type, dims, values, null);

    public static KnownTensor OfFloats(TensorDataType type, long[] dims, double[] values) => new(type, dims, null, values);

    /// <summary>A tensor with the given elements, typed as integers or doubles by <paramref name="type"/>.</summary>
    public static KnownTensor? Create(TensorDataType type, long[] dims, IReadOnlyList<double> values)
    {
        if (IsIntegral(type))
        {
            return OfInts(type, dims, [.. values.Select(v => SymbolicInt.Of((long)v))]);
        }
        return type.IsFloatingPoint() ? OfFloats(type, dims, [.. values]) : null;
    }

    /// <summary>The values of a constant tensor, or null when it is too large, weightless or not numeric.</summary>
    public static KnownTensor? FromProto(TensorProto tensor)
    {
        var type = (TensorDataType)tensor.DataType;
        if (tensor.Dims.Any(d => d < 0) || TensorData.ElementCount(tensor) > MaxElements || !TensorData.HasData(tensor)
            || tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return null;
        }
        long[] dims = [.. tensor.Dims];
        if (IsIntegral(type) && type is not (TensorDataType.Int4 or TensorDataType.UInt4))
        {
            return OfInts(type, dims, [.. TensorData.ToInt64Array(tensor).Select(SymbolicInt.Of)]);
        }
        if (type is TensorDataType.Float or TensorDataType.Double or TensorDataType.Float16 or TensorDataType.BFloat16)
        {
            return OfFloats(type, dims, TensorData.ToDoubleArray(tensor));
        }
        return null;
    }

    /// <summary>All elements as numbers, or null when some element is symbolic or unknown.</summary>
    public long[]? TryGetLongs()
    {
        if (Ints is null)
        {
            return Floats!.All(double.IsFinite) ? [.. Floats!.Select(f => (long)f)] : null;
        }
        var result = new long[Ints.Length];
        for (var i = 0; i < result.Length; i++)
        {
            if (!Ints[i].IsKnown)
            {
                return null;
            }
            result[i] = Ints[i].Value;
        }
        return result;
    }

    /// <summary>All elements as doubles, or null when some element is symbolic or unknown.</summary>
    public double[]? TryGetDoubles() => Floats ?? TryGetLongs()?.Select(v => (double)v).ToArray();

    /// <summary>The same elements with other dims (Reshape, Squeeze, Unsqueeze, Identity...).</summary>
    public KnownTensor WithDims(long[] dims) => new(Type, dims, Ints, Floats);
}
