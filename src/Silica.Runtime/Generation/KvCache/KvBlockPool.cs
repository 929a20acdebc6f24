namespace Silica.Runtime.Generation.KvCache;

/// <summary>
/// A fixed pool of KV-cache blocks, each holding <see cref="BlockTokens"/> tokens of keys and values for every layer
/// and kv head. Sequences take blocks as they grow and give them back when they finish, so memory follows the tokens
/// actually held rather than the longest a sequence might become (vLLM's PagedAttention, SOSP 2023).
/// Used by the scheduler thread only.
/// </summary>
/// <remarks>
/// Layout of one block: [layer][key|value][kvHead][slot][headDim], so the slots of one (layer, kind, head) are one
/// contiguous run that copies straight into the [batch, kvHeads, past, headDim] tensor the model takes.
/// </remarks>
internal sealed class KvBlockPool
{
    private readonly float[] _data;
    private readonly int[] _free;
    private readonly bool[] _inUse;
    private int _freeCount;

    public KvBlockPool(DecoderShape shape, int blockTokens, int blockCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCount, 1);
        Shape = shape;
        BlockTokens = blockTokens;
        BlockCount = blockCount;
        RunLength = blockTokens * shape.HeadDim;
        FloatsPerBlock = checked(2 * shape.Layers * shape.KvHeads * RunLength);
        var total = (long)FloatsPerBlock * blockCount;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"a KV cache of {blockCount} blocks ({total * sizeof(float)} bytes) is over the {(long)Array.MaxLength * sizeof(float)}-byte limit of one pool");
        }
        _data = new float[total];
        _free = new int[blockCount];
        _inUse = new bool[blockCount];
        // Hand out low block numbers first: it keeps a small workload in a small part of memory.
        for (var i = 0; i < blockCount; i++)
        {
            _free[i] = blockCount - 1 - i;
        }
        _freeCount = blockCount;
    }

    public DecoderShape Shape { get; }

    public int BlockTokens { get; }

    public int BlockCount { get; }

    /// <summary>Floats of one (layer, kind, head) run: <see cref="BlockTokens"/> × head dim.</summary>
    public int RunLength { get; }

    public int FloatsPerBlock { get; }

    public int FreeCount => Volatile.Read(ref _freeCount);

    public int UsedCount => BlockCount - FreeCount;

    /// <summary>Bytes one block occupies.</summary>
    public static long BytesPerBlock(DecoderShape shape, int blockTokens) => shape.BytesPerToken * blockTokens;

    /// <summary>Blocks that fit in <paramref name="bytes"/>.</summary>
    public static int BlocksFor(long bytes, DecoderShape shape, int blockTokens) =>
        (int)Math.Min(int.MaxValue, bytes / BytesPerBlock(shape, blockTokens));

    /// <summary>Blocks needed to hold <paramref name="tokens"/> tokens.</summary>
    public int BlocksForTokens(int tokens) => (tokens + BlockTokens - 1) / BlockTokens;

    public bool TryAllocate(out int block)
    {
        if (_freeCount == 0)
        {
            block = -1;
            return false;
        }
        block = _free[_freeCount - 1];
        _inUse[block] = true;
        Volatile.Write(ref _freeCount, _freeCount - 1);
        return true;
    }

    public void Free(int block)
    {
        if ((uint)block >= (uint)BlockCount || !_inUse[block])
        {
            throw new InvalidOperationException($"KV block {block} is not allocated (double free or foreign block)");
        }
        _inUse[block] = false;
        _free[_freeCount] = block;
        Volatile.Write(ref _freeCount, _freeCount + 1);
    }

    /// <summary>The slots of one (layer, key = 0 | value = 1, kv head) in a block: <see cref="BlockTokens"/> rows of head dim.</summary>
    public Span<float> Run(int block, int layer, int kind, int head)
    {
        var offset = (long)block * FloatsPerBlock + ((((long)layer * 2) + kind) * Shape.KvHeads + head) * RunLength;
        return _data.AsSpan((int)offset, RunLength);
    }
}
