namespace Silica.Runtime.Generation.KvCache;

/// <summary>
/// One sequence's blocks in order: token position p lives in block <c>this[p / BlockTokens]</c>, slot
/// <c>p % BlockTokens</c>. Blocks are taken only as the sequence grows.
/// </summary>
internal sealed class BlockTable
{
    private readonly List<int> _blocks = [];

    public int Count => _blocks.Count;

    public int this[int index] => _blocks[index];

    /// <summary>Tokens the blocks held can store.</summary>
    public int TokenCapacity(KvBlockPool pool) => _blocks.Count * pool.BlockTokens;

    /// <summary>
    /// Takes blocks until <paramref name="tokens"/> tokens fit. False when the pool runs dry; the blocks taken so
    /// far stay in the table (released with it).
    /// </summary>
    public bool TryReserve(KvBlockPool pool, int tokens)
    {
        var needed = pool.BlocksForTokens(tokens);
        while (_blocks.Count < needed)
        {
            if (!pool.TryAllocate(out var block))
            {
                return false;
            }
            _blocks.Add(block);
        }
        return true;
    }

    /// <summary>Gives every block back to the pool.</summary>
    public void Release(KvBlockPool pool)
    {
        foreach (var block in _blocks)
        {
            pool.Free(block);
        }
        _blocks.Clear();
    }
}
