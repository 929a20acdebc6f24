namespace Silica.Runtime.Cuda.Reference;

/// <summary>Numpy broadcasting and row-major index arithmetic for the reference interpreter.</summary>
internal static class Broadcast
{
    /// <summary>For each element of <paramref name="target"/> (row-major), the index of the element of <paramref name="source"/> it reads.</summary>
    public static int[] SourceIndices(long[] source, long[] target)
    {
        if (source.Length > target.Length)
        {
            throw new InvalidOperationException($"cannot broadcast [{string.Join(',', source)}] to [{string.Join(',', target)}]");
        }
        var rank = target.Length;
        // Source strides aligned to the target's trailing axes; broadcast (size-1 or missing) axes get stride 0.
        var strides = new long[rank];
        long stride = 1;
        for (var i = source.Length - 1; i >= 0; i--)
        {
            var axis = rank - source.Length + i;
            if (source[i] != 1 && source[i] != target[axis])
            {
                throw new InvalidOperationException($"cannot broadcast [{string.Join(',', source)}] to [{string.Join(',', target)}]");
            }
            strides[axis] = source[i] == 1 ? 0 : stride;
            stride *= source[i];
        }
        return Gather(target, strides);
    }

    /// <summary>For each element of a tensor of <paramref name="shape"/> (row-major), Σ index[axis] · strides[axis].</summary>
    public static int[] Gather(long[] shape, long[] strides)
    {
        var count = checked((int)ElementCount(shape));
        var map = new int[count];
        if (count == 0)
        {
            return map;
        }
        var rank = shape.Length;
        var index = new long[rank];
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            map[i] = checked((int)offset);
            // Odometer increment, updating the offset incrementally.
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                index[axis]++;
                offset += strides[axis];
                if (index[axis] < shape[axis])
                {
                    break;
                }
                offset -= index[axis] * strides[axis];
                index[axis] = 0;
            }
        }
        return map;
    }

    public static long[] RowMajorStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    public static long ElementCount(long[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            n = checked(n * d);
        }
        return n;
    }
}
