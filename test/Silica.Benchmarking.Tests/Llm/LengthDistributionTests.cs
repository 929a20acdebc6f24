using Silica.Benchmarking.Llm;

namespace Silica.Benchmarking.Tests.Llm;

public sealed class LengthDistributionTests
{
    [Theory]
    [InlineData("fixed:7", 7, 7)]
    [InlineData("12", 12, 12)]
    [InlineData("uniform:3-9", 3, 9)]
    [InlineData("uniform:5-5", 5, 5)]
    public void Sample_ParsedSpec_StaysInRangeAndCoversIt(string spec, int low, int high)
    {
        var d = LengthDistribution.Parse(spec, "--prompt-len");
        var random = new Random(1);

        var draws = Enumerable.Range(0, 2000).Select(_ => d.Sample(random)).ToList();

        Assert.All(draws, v => Assert.InRange(v, low, high));
        Assert.Equal(high - low + 1, draws.Distinct().Count());
        Assert.Equal(high, d.Max);
    }

    [Fact]
    public void Sample_File_DrawsOnlyItsLengths()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["# trace lengths", "17", "", "230", "17"]);
            var d = LengthDistribution.Parse("file:" + path, "--output-len");
            var random = new Random(3);

            var draws = Enumerable.Range(0, 300).Select(_ => d.Sample(random)).ToHashSet();

            Assert.Equal([17, 230], draws.Order());
            Assert.Equal(230, d.Max);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("fixed:0", "at least 1")]
    [InlineData("uniform:9-3", "is empty")]
    [InlineData("uniform:9", "needs a range")]
    [InlineData("normal:5", "fixed:N, uniform:A-B or file:PATH")]
    [InlineData("file:/no/such/lengths.txt", "cannot read")]
    public void Parse_BadSpec_ThrowsNamingTheOption(string spec, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => LengthDistribution.Parse(spec, "--prompt-len"));

        Assert.Contains("--prompt-len", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }
}
