using Silica.Optimization.Ocr;

namespace Silica.Optimization.Tests.Ocr;

public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("10 by", "10by", 1)]
    [InlineData("Total $12.50", "Total $12.50", 0)]
    [InlineData("abc", "cba", 2)]
    public void Between_KnownPairs_GivesLevenshteinDistance(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(a, b));
        Assert.Equal(expected, EditDistance.Between(b, a));
    }

    [Fact]
    public void Between_LongStrings_UsesHeapRowsAndStaysCorrect()
    {
        var a = new string('x', 600);
        var b = new string('x', 300) + "y" + new string('x', 299);
        Assert.Equal(1, EditDistance.Between(a, b));
    }

    [Fact]
    public void CharacterAccuracy_EdgeSpacesIgnoredInnerSpacesCounted()
    {
        var acc = CharacterAccuracy.Of([" Total 5 ", "10by"], ["Total 5", "10 by"]);
        Assert.Equal(1, acc.Edits);
        Assert.Equal(12, acc.Characters);
        Assert.Equal(1, acc.ExactLines);
        Assert.Equal(1 - (1 / 12.0), acc.Accuracy, 10);
    }
}
