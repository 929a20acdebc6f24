using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

internal static partial class HostEvaluator
{
    private static HostTensor Gather(HostTensor data, HostTensor indices, int axis)
    {
        var rank = data.Dims.Length;
        axis = axis < 0 ? axis + rank : axis;
        var outer = data.Dims[..axis].Aggregate(1L, (p, d) => p * d);
        var inner = data.Dims[(axis + 1)..].Aggregate(1L, (p, d) => p * d);
        var n = data.Dims[axis];
        var idx = indices.ToLongs();
        long[] dims = [.. data.Dims[..axis], .. indices.Dims, .. data.Dims[(axis + 1)..]];
        var src = new List<long>();
        for (long o = 0; o < outer; o++)
        {
            foreach (var raw in idx)
            {
                var i = raw < 0 ? raw + n : raw;
                for (long k = 0; k < inner; k++)
                {
                    src.Add((((o * n) + i) * inner) + k);
                }
            }
        }
        return Pick(data, dims, src);
    }

    private static HostTensor Pick(HostTensor data, long[] dims, IReadOnlyList<long> src) => data.IsIntegral
        ? HostTensor.OfInts(data.Type, dims, [.. src.Select(i => data.Ints![i])])
        : HostTensor.OfFloats(data.Type, dims, [.. src.Select(i => data.Floats![i])]);

    private static HostTensor Concat(HostTensor[] parts, int axis)
    {
        var rank = parts[0].Dims.Length;
        axis = axis < 0 ? axis + rank : axis;
        var outer = parts[0].Dims[..axis].Aggregate(1L, (p, d) => p * d);
        var dims = (long[])parts[0].Dims.Clone();
        dims[axis] = parts.Sum(p => p.Dims[axis]);
        var integral = parts.All(p => p.IsIntegral);
        var longs = new List<long>();
        var doubles = new List<double>();
        for (long o = 0; o < outer; o++)
        {
            foreach (var p in parts)
            {
                var chunk = p.Dims[axis..].Aggregate(1L, (q, d) => q * d);
                for (long k = 0; k < chunk; k++)
                {
                    if (integral)
                    {
                        longs.Add(p.Ints![(o * chunk) + k]);
                    }
                    else
                    {
                        doubles.Add(p.GetDouble((o * chunk) + k));
                    }
                }
            }
        }
        return integral ? HostTensor.OfInts(parts[0].Type, dims, [.. longs]) : HostTensor.OfFloats(parts[0].Type, dims, [.. doubles]);
    }

    private static HostTensor Range(HostTensor start, HostTensor limit, HostTensor delta, TensorDataType type)
    {
        double s = start.GetDouble(0), l = limit.GetDouble(0), d = delta.GetDouble(0);
        var n = Math.Max((long)Math.Ceiling((l - s) / d), 0);
        return HostTensor.Create(type, [n], [.. Enumerable.Range(0, checked((int)n)).Select(i => s + (i * d))]);
    }

    private static HostTensor ConstantOfShape(long[] dims, HostTensor? value)
    {
        var n = dims.Aggregate(1L, (p, d) => p * d);
        if (n > MaxFoldedElements)
        {
            throw new PlanException($"ConstantOfShape of {n} elements is too large to fold");
        }
        var type = value?.Type ?? TensorDataType.Float;
        var v = value?.GetDouble(0) ?? 0;
        return HostTensor.Create(type, dims, Enumerable.Repeat(v, (int)n).ToArray());
    }

    private static HostTensor Transpose(HostTensor x, long[]? perm)
    {
        var rank = x.Dims.Length;
        perm ??= [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
        var dims = perm.Select(p => x.Dims[p]).ToArray();
        var inStrides = ContiguousStrides(x.Dims);
        var strides = perm.Select(p => inStrides[p]).ToArray();
        return Pick(x, dims, Offsets(dims, strides, 0));
    }

    private static HostTensor Broadcast(HostTensor x, long[] dims) => Pick(x, dims, Offsets(dims, BroadcastStrides(x.Dims, dims), 0));

    /// <summary>Source offsets of every element of a strided view, in row-major order of <paramref name="dims"/>.</summary>
    private static List<long> Offsets(long[] dims, long[] strides, long start)
    {
        var count = dims.Aggregate(1L, (p, d) => p * d);
        if (count > MaxFoldedElements)
        {
            throw new PlanException($"a folded constant of {count} elements is too large");
        }
        var result = new List<long>((int)count);
        var index = new long[dims.Length];
        for (long n = 0; n < count; n++)
        {
            long off = start;
            for (var d = 0; d < dims.Length; d++)
            {
                off += index[d] * strides[d];
            }
            result.Add(off);
            for (var d = dims.Length - 1; d >= 0 && ++index[d] == dims[d]; d--)
            {
                index[d] = 0;
            }
        }
        return result;
    }

    private static HostTensor Slice(Node node, HostTensor x, Func<Value?, HostTensor?> input, long opset)
    {
        var (starts, steps) = SliceParams.Resolve(node, x.Dims, input, opset);
        var dims = PlanBuilder.ShapeOf(node.Output(0)!);
        var inStrides = ContiguousStrides(x.Dims);
        long start = 0;
        for (var d = 0; d < dims.Length; d++)
        {
            start += starts[d] * inStrides[d];
        }
        return Pick(x, dims, Offsets(dims, [.. inStrides.Select((s, d) => s * steps[d])], start));
    }
}
