using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Inference;

/// <summary>
/// Makes deterministic inputs for a session when the user supplies none: values in a model-plausible range
/// (token ids below a small vocabulary, attention masks of ones, positions 0..n-1, floats in [-1, 1]).
/// Timings of dense models do not depend on the values; the ranges only keep lookups in bounds.
/// </summary>
public static class SyntheticInputs
{
    /// <summary>
    /// Resolves each input's shape with <paramref name="batch"/> for the leading symbolic dimension and
    /// <paramref name="bindings"/> for the others, and allocates filled tensors.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is neither fixed, the batch dimension, nor bound.</exception>
    public static Tensor[] Create(IReadOnlyList<TensorInfo> inputs, int batch, IReadOnlyDictionary<string, long> bindings, int seed = 1)
    {
        var tensors = new Tensor[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var shape = ResolveShape(inputs[i], batch, bindings);
            var t = Tensor.Allocate(inputs[i].ElementType, shape);
            Fill(t, inputs[i].Name, shape, seed + i);
            tensors[i] = t;
        }
        return tensors;
    }

    /// <summary>The concrete shape of an input for a batch size and bindings.</summary>
    /// <exception cref="ArgumentException">A dimension cannot be resolved.</exception>
    public static long[] ResolveShape(TensorInfo input, int batch, IReadOnlyDictionary<string, long> bindings)
    {
        var shape = new long[input.Shape.Rank];
        for (var d = 0; d < shape.Length; d++)
        {
            var dim = input.Shape[d];
            if (dim.IsKnown && !(d == 0 && IsBatchLike(input)))
            {
                shape[d] = dim.KnownValue;
            }
            else if (dim.IsSymbolic && bindings.TryGetValue(dim.Symbol!, out var bound) && d != 0)
            {
                shape[d] = bound;
            }
            else if (d == 0)
            {
                shape[d] = batch;
            }
            else
            {
                throw new ArgumentException(
                    $"input '{input.Name}' dimension {d} ('{dim}') has no size; bind it, e.g. --bind {(dim.IsSymbolic ? dim.Symbol : "dim")}=128");
            }
        }
        return shape;
    }

    /// <summary>True when the leading dimension is the batch: symbolic, unknown, or a fixed 1 (exporters often fix it).</summary>
    private static bool IsBatchLike(TensorInfo input) => input.Shape.Rank > 0 && (!input.Shape[0].IsKnown || input.Shape[0].KnownValue == 1);

    private static void Fill(Tensor t, string name, long[] shape, int seed)
    {
        var lower = name.ToLowerInvariant();
        var rng = new Random(seed);
        switch (t.ElementType)
        {
            case TensorDataType.Float:
                var f = t.AsFloats();
                for (var i = 0; i < f.Length; i++)
                {
                    f[i] = (float)(rng.NextDouble() * 2 - 1);
                }
                break;
            case TensorDataType.Int64:
                var l = t.AsInt64s();
                var inner = shape.Length > 0 ? shape[^1] : 1;
                for (var i = 0; i < l.Length; i++)
                {
                    l[i] = lower.Contains("mask", StringComparison.Ordinal) ? 1
                        : lower.Contains("type", StringComparison.Ordinal) ? 0
                        : lower.Contains("position", StringComparison.Ordinal) ? i % inner
                        : rng.Next(1, 1000);
                }
                break;
            case TensorDataType.Int32:
                var n = t.AsSpan<int>();
                for (var i = 0; i < n.Length; i++)
                {
                    n[i] = lower.Contains("mask", StringComparison.Ordinal) ? 1 : rng.Next(1, 1000);
                }
                break;
            case TensorDataType.Bool:
                t.Bytes.Fill(1);
                break;
            default:
                // Other types (fp16, int8...) get a deterministic byte pattern; in range for any dtype's bits.
                var b = t.Bytes;
                for (var i = 0; i < b.Length; i++)
                {
                    b[i] = (byte)(rng.Next(0, 64));
                }
                break;
        }
    }
}
