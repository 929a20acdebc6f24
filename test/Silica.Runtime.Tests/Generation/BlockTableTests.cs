using Silica.Runtime.Generation.KvCache;

namespace Silica.Runtime.Tests.Generation;

public sealed class BlockTableTests
{
    private static readonly DecoderShape Tiny = new(1, 1, 2, 10, 64);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 1)]
    [InlineData(17, 2)]
    [InlineData(48, 3)]
    public void TryReserve_TakesBlocksOnlyForTheTokensHeld(int tokens, int blocks)
    {
        var pool = new KvBlockPool(Tiny, 16, 8);
        var table = new BlockTable();
        Assert.True(table.TryReserve(pool, tokens));
        Assert.Equal(blocks, table.Count);
        Assert.Equal(blocks, pool.UsedCount);
        Assert.Equal(blocks * 16, table.TokenCapacity(pool));
    }

    [Fact]
    public void TryReserve_Grows_ThenRelease_ReturnsEveryBlock()
    {
        var pool = new KvBlockPool(Tiny, 4, 8);
        var table = new BlockTable();
        for (var tokens = 1; tokens <= 13; tokens++)
        {
            Assert.True(table.TryReserve(pool, tokens));
        }
        Assert.Equal(4, table.Count);
        table.Release(pool);
        Assert.Equal(0, table.Count);
        Assert.Equal(0, pool.UsedCount);
    }

    [Fact]
    public void TryReserve_PoolRunsDry_FailsAndKeepsWhatItTook()
    {
        var pool = new KvBlockPool(Tiny, 4, 3);
        var first = new BlockTable();
        var second = new BlockTable();
        Assert.True(first.TryReserve(pool, 8));
        Assert.False(second.TryReserve(pool, 8));
        Assert.Equal(1, second.Count);
        Assert.Equal(0, pool.FreeCount);
        second.Release(pool);
        first.Release(pool);
        Assert.Equal(3, pool.FreeCount);
    }
}
