using Silica.Runtime.Generation.Sampling;

namespace Silica.Runtime.Tests.Generation;

public sealed class StopSequenceFilterTests
{
    // Feeds growing decoded text (as a tokenizer would after each token) and collects what is released.
    private static (string Released, bool Stopped) Stream(IReadOnlyList<string>? stops, params string[] texts)
    {
        var filter = new StopSequenceFilter(null!, stops);
        var released = "";
        var text = "";
        foreach (var piece in texts)
        {
            text += piece;
            released += filter.Advance(text, out var stopped);
            if (stopped)
            {
                return (released, true);
            }
        }
        return (released + filter.Flush(text), false);
    }

    [Fact]
    public void Advance_NoStops_ReleasesEverything()
    {
        Assert.Equal(("Hello world", false), Stream(null, "Hello", " world"));
    }

    [Fact]
    public void Advance_StopSplitAcrossTokens_ReleasesTextBeforeItOnly()
    {
        Assert.Equal(("The answer", true), Stream(["\n\n"], "The", " answer", "\n", "\nmore"));
        Assert.Equal(("ab", true), Stream(["END"], "a", "bE", "N", "D", "x"));
    }

    [Fact]
    public void Advance_HoldsBackAPossibleStopPrefix_ThenReleasesItWhenItDiverges()
    {
        var filter = new StopSequenceFilter(null!, ["STOP"]);
        Assert.Equal("go ", filter.Advance("go ST", out var stopped));
        Assert.False(stopped);
        Assert.Equal("STAR", filter.Advance("go STAR", out stopped));
        Assert.False(stopped);
    }

    [Fact]
    public void Advance_EarliestOfSeveralStopsWins()
    {
        Assert.Equal(("x", true), Stream(["yz", "y"], "xyz"));
        Assert.Equal(("one ", true), Stream(["three", "two"], "one two three"));
    }

    [Fact]
    public void Advance_IncompleteUtf8Character_HeldUntilComplete()
    {
        var filter = new StopSequenceFilter(null!, null);
        Assert.Equal("caf", filter.Advance("caf\uFFFD", out _));
        Assert.Equal("é", filter.Advance("café", out _));
    }

    [Fact]
    public void Flush_EndsWithPossibleStopPrefix_ReleasesIt()
    {
        Assert.Equal(("wait STO", false), Stream(["STOP"], "wait ", "STO"));
    }
}
