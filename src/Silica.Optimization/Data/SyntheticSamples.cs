using System.Globalization;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Data;

/// <summary>
/// Generated samples for when no real data is given. Floats are standard normal (the range of normalized images
/// and embeddings); integer inputs look like token ids (1..999), attention masks (ones) or token types (zeros) by
/// name. Calibration on such data misses the real activation ranges, so the set is marked synthetic and every
/// report built on it says so.
/// </summary>
public static class SyntheticSamples
{
    /// <summary>The number of samples <c>synthetic</c> without a count makes.</summary>
    public const int DefaultCount = 16;

    /// <summary>Makes <paramref name="count"/> samples at batch 1, deterministic for a seed.</summary>
    /// <param name="inputs">The model's runtime inputs (see <see cref="ModelInputs.Of"/>).</param>
    /// <param name="bindings">Sizes of symbolic dimensions other than the leading batch.</param>
    /// <param name="count">How many samples.</param>
    /// <param name="seed">The random seed.</param>
    /// <exception cref="SampleDataException">A dimension other than the batch has no size, or a type cannot be generated.</exception>
    public static SampleSet Create(IReadOnlyList<TensorInfo> inputs, IReadOnlyDictionary<string, long> bindings, int count = DefaultCount, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var shapes = inputs.Select(i => Shape(i, bindings)).ToArray();
        var rng = new Random(seed);
        var samples = new List<Sample>(count);
        for (var s = 0; s < count; s++)
        {
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            for (var i = 0; i < inputs.Count; i++)
            {
                tensors[inputs[i].Name] = Fill(inputs[i], shapes[i], rng);
            }
            samples.Add(new Sample(tensors, null, $"synthetic #{s.ToString(CultureInfo.InvariantCulture)}"));
        }
        return new SampleSet(samples, $"synthetic ({count} samples, seed {seed})", IsSynthetic: true);
    }

    private static long[] Shape(TensorInfo input, IReadOnlyDictionary<string, long> bindings)
    {
        var shape = new long[input.Shape.Rank];
        for (var d = 0; d < shape.Length; d++)
        {
            var dim = input.Shape[d];
            if (dim.IsKnown)
            {
                shape[d] = dim.KnownValue;
            }
            else if (dim.IsSymbolic && bindings.TryGetValue(dim.Symbol!, out var bound))
            {
                shape[d] = bound;
            }
            else if (d == 0)
            {
                shape[d] = 1; // the batch: one sample per run
            }
            else
            {
                throw new SampleDataException(
                    $"input '{input.Name}' dimension {d} ('{dim}') has no size for synthetic samples; bind it, e.g. --bind {dim.Symbol ?? "dim"}=128");
            }
        }
        return shape;
    }

    private static Tensor Fill(TensorInfo input, long[] shape, Random rng)
    {
        var t = Tensor.Allocate(input.ElementType, shape);
        var name = input.Name.ToLowerInvariant();
        switch (input.ElementType)
        {
            case TensorDataType.Float:
                var f = t.AsFloats();
                for (var i = 0; i < f.Length; i++)
                {
                    f[i] = (float)Normal(rng);
                }
                break;
            case TensorDataType.Float16:
                var h = t.AsSpan<Half>();
                for (var i = 0; i < h.Length; i++)
                {
                    h[i] = (Half)Normal(rng);
                }
                break;
            case TensorDataType.Double:
                var dd = t.AsSpan<double>();
                for (var i = 0; i < dd.Length; i++)
                {
                    dd[i] = Normal(rng);
                }
                break;
            case TensorDataType.Int64:
                var l = t.AsInt64s();
                for (var i = 0; i < l.Length; i++)
                {
                    l[i] = IntegerValue(name, i, shape, rng);
                }
                break;
            case TensorDataType.Int32:
                var n = t.AsSpan<int>();
                for (var i = 0; i < n.Length; i++)
                {
                    n[i] = (int)IntegerValue(name, i, shape, rng);
                }
                break;
            case TensorDataType.Bool:
                t.Bytes.Fill(1);
                break;
            case TensorDataType.UInt8:
                rng.NextBytes(t.Bytes);
                break;
            default:
                throw new SampleDataException(
                    $"input '{input.Name}' is {input.ElementType.DisplayName()}; synthetic samples cover float, float16, double, int64, int32, uint8 and bool — give real data");
        }
        return t;
    }

    private static long IntegerValue(string name, int index, long[] shape, Random rng)
    {
        var inner = shape.Length > 0 && shape[^1] > 0 ? shape[^1] : 1;
        return name.Contains("mask", StringComparison.Ordinal) ? 1
            : name.Contains("type", StringComparison.Ordinal) ? 0
            : name.Contains("position", StringComparison.Ordinal) ? index % inner
            : rng.Next(1, 1000);
    }

    private static double Normal(Random rng)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
