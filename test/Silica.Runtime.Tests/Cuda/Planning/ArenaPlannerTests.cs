using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Planning;

public class ArenaPlannerTests
{
    [Fact]
    public void Assign_DisjointLifetimes_ReuseTheSameBytes()
    {
        var a = ArenaPlanner.Assign([(1000, 0, 1), (1000, 2, 3)]);

        Assert.Equal(a.Offsets[0], a.Offsets[1]);
        Assert.Equal(1024, a.PeakBytes);
    }

    [Fact]
    public void Assign_OverlappingLifetimes_NeverShareBytes()
    {
        var a = ArenaPlanner.Assign([(1000, 0, 2), (300, 1, 3), (10, 2, 2)]);

        AssertDisjoint(a, [(1000, 0, 2), (300, 1, 3), (10, 2, 2)]);
        Assert.Equal(1024 + 512 + 256, a.PeakBytes);
    }

    [Fact]
    public void Assign_Offsets_AreAlignedTo256()
    {
        (long, int, int)[] buffers = [(1, 0, 5), (257, 0, 5), (3, 0, 5), (1000, 1, 1)];
        var a = ArenaPlanner.Assign(buffers);

        Assert.All(a.Offsets, o => Assert.Equal(0, o % 256));
        AssertDisjoint(a, buffers);
    }

    [Fact]
    public void Assign_SmallBufferLater_FillsTheBestFittingGap()
    {
        // 0: big [0,1]; 1: long-lived [0,4] above it; 2 and 3 live after the big one dies and fit in its hole.
        (long, int, int)[] buffers = [(4096, 0, 1), (512, 0, 4), (1024, 2, 3), (2048, 2, 4)];
        var a = ArenaPlanner.Assign(buffers);

        AssertDisjoint(a, buffers);
        Assert.Equal(4096 + 512, a.PeakBytes);
    }

    [Fact]
    public void Assign_Empty_HasZeroPeak() => Assert.Equal(0, ArenaPlanner.Assign([]).PeakBytes);

    private static void AssertDisjoint(ArenaAssignment a, (long Bytes, int First, int Last)[] buffers)
    {
        for (var i = 0; i < buffers.Length; i++)
        {
            for (var j = i + 1; j < buffers.Length; j++)
            {
                var timeOverlap = buffers[i].First <= buffers[j].Last && buffers[j].First <= buffers[i].Last;
                var byteOverlap = a.Offsets[i] < a.Offsets[j] + buffers[j].Bytes && a.Offsets[j] < a.Offsets[i] + buffers[i].Bytes;
                Assert.False(timeOverlap && byteOverlap, $"buffers {i} and {j} overlap");
            }
        }
    }
}
