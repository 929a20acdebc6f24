namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Element strides that map an output index to each input's index under numpy broadcasting (stride 0 on broadcast
/// axes), with adjacent axes merged wherever every operand is contiguous across them — so [N,C,H,W] + [1,C,1,1]
/// indexes as [N,C,H·W] and a same-shape chain as one flat axis.
/// </summary>
internal sealed class BroadcastLayout
{
    private BroadcastLayout(long[] shape, long[][] strides)
    {
        Shape = shape;
        Strides = strides;
    }

    /// <summary>The merged output shape (rank ≥ 1; size-1 axes dropped).</summary>
    public long[] Shape { get; }

    /// <summary>Per input, one stride per axis of <see cref="Shape"/>.</summary>
    public long[][] Strides { get; }

    public int Rank => Shape.Length;

    /// <summary>True when input <paramref name="input"/> is indexed by the output's flat index.</summary>
    public bool IsDense(int input)
    {
        long expected = 1;
        for (var d = Rank - 1; d >= 0; d--)
        {
            if (Shape[d] != 1 && Strides[input][d] != expected)
            {
                return false;
            }
            expected *= Shape[d];
        }
        return true;
    }

    /// <summary>True when input <paramref name="input"/> has a single element broadcast everywhere.</summary>
    public bool IsScalar(int input) => Array.TrueForAll(Strides[input], s => s == 0);

    /// <summary>A layout with explicit strides (transpose, slice): no merging.</summary>
    public static BroadcastLayout FromStrides(long[] shape, params long[][] strides) => new(shape, strides);

    public static BroadcastLayout Create(long[] output, IReadOnlyList<long[]> inputs)
    {
        var rank = output.Length;
        var full = new long[inputs.Count][];
        for (var k = 0; k < inputs.Count; k++)
        {
            var shape = inputs[k];
            if (shape.Length > rank)
            {
                throw new ArgumentException($"Input rank {shape.Length} exceeds output rank {rank}.");
            }
            full[k] = new long[rank];
            long stride = 1;
            for (var d = rank - 1; d >= 0; d--)
            {
                var src = d - (rank - shape.Length);
                var dim = src >= 0 ? shape[src] : 1;
                if (dim != 1 && dim != output[d])
                {
                    throw new ArgumentException($"Shape [{string.Join(',', shape)}] does not broadcast to [{string.Join(',', output)}].");
                }
                full[k][d] = dim == 1 ? 0 : stride;
                stride *= dim;
            }
        }

        // Drop size-1 output axes, then merge axis d into d+1 when, for every input, stride[d] == stride[d+1]·shape[d+1].
        var shapeList = new List<long>();
        var strideLists = inputs.Select(_ => new List<long>()).ToArray();
        for (var d = 0; d < rank; d++)
        {
            if (output[d] == 1)
            {
                continue;
            }
            var last = shapeList.Count - 1;
            var mergeable = last >= 0;
            for (var k = 0; mergeable && k < inputs.Count; k++)
            {
                mergeable = strideLists[k][last] == full[k][d] * output[d];
            }
            if (mergeable)
            {
                shapeList[last] *= output[d];
                for (var k = 0; k < inputs.Count; k++)
                {
                    strideLists[k][last] = full[k][d];
                }
            }
            else
            {
                shapeList.Add(output[d]);
                for (var k = 0; k < inputs.Count; k++)
                {
                    strideLists[k].Add(full[k][d]);
                }
            }
        }
        if (shapeList.Count == 0)
        {
            shapeList.Add(1);
            foreach (var list in strideLists)
            {
                list.Add(0);
            }
        }
        return new BroadcastLayout([.. shapeList], [.. strideLists.Select(l => l.ToArray())]);
    }
}
