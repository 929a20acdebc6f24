using Silica.Runtime.Generation.KvCache;

namespace Silica.Runtime.Tests.Generation;

public sealed class KvBlockPoolTests
{
    private static readonly DecoderShape Tiny = new(Layers: 2, KvHeads: 3, HeadDim: 4, Vocab: 10, ContextLength: 64);

    [Fact]
    public void BlocksFor_Budget_CountsWholeBlocks()
    {
        // 2 layers × 2 (K, V) × 3 heads × 4 dims × 4 bytes = 192 bytes per token; 16 tokens = 3072 bytes per block.
        Assert.Equal(192, Tiny.BytesPerToken);
        Assert.Equal(3072, KvBlockPool.BytesPerBlock(Tiny, 16));
        Assert.Equal(3, KvBlockPool.BlocksFor(3 * 3072 + 3071, Tiny, 16));
    }

    [Fact]
    public void TryAllocate_UntilEmpty_ThenFails_AndFreeReturnsBlocks()
    {
        var pool = new KvBlockPool(Tiny, 16, 3);
        var taken = new HashSet<int>();
        while (pool.TryAllocate(out var b))
        {
            Assert.True(taken.Add(b));
        }
        Assert.Equal(3, taken.Count);
        Assert.Equal(0, pool.FreeCount);
        Assert.Equal(3, pool.UsedCount);
        pool.Free(taken.First());
        Assert.Equal(1, pool.FreeCount);
        Assert.True(pool.TryAllocate(out var again));
        Assert.Equal(taken.First(), again);
    }

    [Fact]
    public void Free_Twice_Throws()
    {
        var pool = new KvBlockPool(Tiny, 16, 2);
        Assert.True(pool.TryAllocate(out var b));
        pool.Free(b);
        Assert.Throws<InvalidOperationException>(() => pool.Free(b));
        Assert.Throws<InvalidOperationException>(() => pool.Free(7));
    }

    [Fact]
    public void Run_DistinctPerLayerKindHead_AndBlocksDoNotOverlap()
    {
        var pool = new KvBlockPool(Tiny, 2, 2);
        var value = 0f;
        for (var block = 0; block < 2; block++)
            for (var layer = 0; layer < 2; layer++)
                for (var kind = 0; kind < 2; kind++)
                    for (var head = 0; head < 3; head++)
                    {
                        var run = pool.Run(block, layer, kind, head);
                        Assert.Equal(2 * 4, run.Length);
                        run.Fill(++value);
                    }
        // Every run kept its own value: no two (block, layer, kind, head) share memory.
        value = 0f;
        for (var block = 0; block < 2; block++)
            for (var layer = 0; layer < 2; layer++)
                for (var kind = 0; kind < 2; kind++)
                    for (var head = 0; head < 3; head++)
                    {
                        ++value;
                        Assert.All(pool.Run(block, layer, kind, head).ToArray(), v => Assert.Equal(value, v));
                    }
    }
}
