using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

// Steps that only move elements: done on bytes, so every element type (and NaN payloads) moves exactly.
internal sealed partial class PlanInterpreter
{
    private void Transpose(TransposeStep s)
    {
        var xs = Buf(s.X).Shape;
        var ys = Buf(s.Y).Shape;
        var xStrides = Broadcast.RowMajorStrides(xs);
        if (s.Perm.Length != xs.Length || ys.Length != xs.Length || Enumerable.Range(0, xs.Length).Any(a => ys[a] != xs[s.Perm[a]]))
        {
            throw new InvalidOperationException($"perm [{string.Join(',', s.Perm)}] does not map {Buf(s.X)} to {Buf(s.Y)}");
        }
        // Y's axis a walks X's axis Perm[a].
        var map = Broadcast.Gather(ys, [.. s.Perm.Select(p => xStrides[p])]);
        MoveElements(s.X, s.Y, map);
    }

    private void Gather(GatherStep s)
    {
        var ds = Buf(s.Data).Shape;
        var axis = s.Axis < 0 ? s.Axis + ds.Length : s.Axis;
        var indices = Longs(s.Indices);
        var outer = Count(Broadcast.ElementCount(ds[..axis]));
        var inner = Count(Broadcast.ElementCount(ds[(axis + 1)..]));
        var extent = ds[axis];
        var map = new int[outer * indices.Length * inner];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i] < 0 ? indices[i] + extent : indices[i];
            if (index < 0 || index >= extent)
            {
                throw new InvalidOperationException($"gather index {indices[i]} out of range for axis of {extent}");
            }
            for (var o = 0; o < outer; o++)
            {
                var src = ((o * extent) + index) * inner;
                var dst = ((o * indices.Length) + i) * inner;
                for (var j = 0; j < inner; j++)
                {
                    map[dst + j] = (int)src + j;
                }
            }
        }
        MoveElements(s.Data, s.Y, map);
    }

    private void Concat(ConcatStep s)
    {
        var ys = Buf(s.Y).Shape;
        var axis = s.Axis < 0 ? s.Axis + ys.Length : s.Axis;
        var outer = Count(Broadcast.ElementCount(ys[..axis]));
        var inner = Count(Broadcast.ElementCount(ys[(axis + 1)..]));
        var yRow = Count(ys[axis]) * inner;
        var yType = Buf(s.Y).Type;
        var size = HostTensorMath.ElementSize(yType);
        var dst = Bytes(s.Y);
        var start = 0;
        foreach (var id in s.Inputs)
        {
            var xRow = Count(Buf(id).Shape[axis]) * inner;
            if (Buf(id).Type != yType)
            {
                throw new InvalidOperationException($"concat input {Buf(id)} is not {yType}");
            }
            var src = Bytes(id);
            for (var o = 0; o < outer; o++)
            {
                src.Slice(o * xRow * size, xRow * size).CopyTo(dst[(((o * yRow) + start) * size)..]);
            }
            start += xRow;
        }
        if (start != yRow)
        {
            throw new InvalidOperationException($"concat inputs fill {start} of {yRow} elements per row of {Buf(s.Y)}");
        }
    }

    private void Slice(SliceStep s)
    {
        var xStrides = Broadcast.RowMajorStrides(Buf(s.X).Shape);
        var ys = Buf(s.Y).Shape;
        var origin = Count(Enumerable.Range(0, ys.Length).Sum(a => s.Starts[a] * xStrides[a]));
        var map = Broadcast.Gather(ys, [.. Enumerable.Range(0, ys.Length).Select(a => s.Steps[a] * xStrides[a])]);
        for (var i = 0; i < map.Length; i++)
        {
            map[i] += origin;
        }
        MoveElements(s.X, s.Y, map);
    }

    private void Expand(ExpandStep s) => MoveElements(s.X, s.Y, Broadcast.SourceIndices(Buf(s.X).Shape, Buf(s.Y).Shape));

    private void Copy(CopyStep s)
    {
        if (Buf(s.X).ByteSize != Buf(s.Y).ByteSize)
        {
            throw new InvalidOperationException($"copy between {Buf(s.X)} and {Buf(s.Y)} of different sizes");
        }
        // Through a temporary: the two may overlap in the arena (a planner bug the result should show, not hide).
        Bytes(s.X).ToArray().CopyTo(Bytes(s.Y));
    }

    private void Cast(CastStep s)
    {
        var (xType, yType) = (Buf(s.X).Type, Buf(s.Y).Type);
        var src = Bytes(s.X).ToArray();
        var dst = Bytes(s.Y);
        var n = Buf(s.Y).ElementCount;
        if (Buf(s.X).ElementCount != n)
        {
            throw new InvalidOperationException($"cast between {Buf(s.X)} and {Buf(s.Y)} of different element counts");
        }
        for (long i = 0; i < n; i++)
        {
            if (HostTensorMath.IsIntegral(xType))
            {
                // Integers go through int64 so large values survive integer → integer casts exactly.
                HostTensorMath.WriteInt64(dst, yType, i, HostTensorMath.ReadInt64(src, xType, i));
            }
            else
            {
                HostTensorMath.WriteDouble(dst, yType, i, HostTensorMath.ReadDouble(src, xType, i));
            }
        }
    }

    /// <summary>Y[i] = X[map[i]]: bytes when the types agree, converted values otherwise.</summary>
    private void MoveElements(int x, int y, int[] map)
    {
        var (xType, yType) = (Buf(x).Type, Buf(y).Type);
        CheckCount(y, map.Length);
        // A copy of the source: reading and writing the same arena bytes must not feed the output back into the input.
        var src = Bytes(x).ToArray();
        var dst = Bytes(y);
        if (xType == yType)
        {
            var size = HostTensorMath.ElementSize(xType);
            for (var i = 0; i < map.Length; i++)
            {
                src.AsSpan(map[i] * size, size).CopyTo(dst[(i * size)..]);
            }
            return;
        }
        for (var i = 0; i < map.Length; i++)
        {
            HostTensorMath.WriteDouble(dst, yType, i, HostTensorMath.ReadDouble(src, xType, map[i]));
        }
    }
}
