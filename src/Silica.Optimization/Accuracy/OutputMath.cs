using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Accuracy;

/// <summary>Element-wise comparisons of output tensors, in double precision.</summary>
internal static class OutputMath
{
    /// <summary>The tensor's values as doubles (float, half, bfloat16, double and integer outputs).</summary>
    public static double[] ToDoubles(Tensor t)
    {
        var n = checked((int)t.ElementCount);
        var result = new double[n];
        switch (t.ElementType)
        {
            case TensorDataType.Float:
                var f = t.AsFloats();
                for (var i = 0; i < n; i++)
                {
                    result[i] = f[i];
                }
                break;
            case TensorDataType.Double:
                t.AsSpan<double>().CopyTo(result);
                break;
            case TensorDataType.Float16:
                var h = t.AsSpan<Half>();
                for (var i = 0; i < n; i++)
                {
                    result[i] = (double)h[i];
                }
                break;
            case TensorDataType.BFloat16:
                var b = t.AsSpan<ushort>();
                for (var i = 0; i < n; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(b[i] << 16);
                }
                break;
            case TensorDataType.Int64:
                var l = t.AsInt64s();
                for (var i = 0; i < n; i++)
                {
                    result[i] = l[i];
                }
                break;
            case TensorDataType.Int32:
                var k = t.AsSpan<int>();
                for (var i = 0; i < n; i++)
                {
                    result[i] = k[i];
                }
                break;
            default:
                throw new NotSupportedException($"cannot compare outputs of type {t.ElementType.DisplayName()}");
        }
        return result;
    }

    /// <summary>Cosine similarity of two flattened tensors; 1 when both are all zeros.</summary>
    public static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        CheckSameLength(a, b);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na == 0 && nb == 0)
        {
            return 1;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary><c>max|a-b| / max|a|</c>: the worst error relative to the output's own scale (element-wise ratios explode near zero).</summary>
    public static double MaxRelativeError(ReadOnlySpan<double> reference, ReadOnlySpan<double> candidate)
    {
        CheckSameLength(reference, candidate);
        double maxErr = 0, maxRef = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var e = Math.Abs(reference[i] - candidate[i]);
            maxErr = double.IsNaN(e) ? double.PositiveInfinity : Math.Max(maxErr, e);
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
        }
        return maxErr == 0 ? 0 : maxRef == 0 ? double.PositiveInfinity : maxErr / maxRef;
    }

    private static void CheckSameLength(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"outputs differ in size ({a.Length} vs {b.Length} elements)");
        }
    }
}
