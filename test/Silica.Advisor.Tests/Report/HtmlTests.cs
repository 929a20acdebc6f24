using Silica.Advisor.Report;

namespace Silica.Advisor.Tests.Report;

public sealed class HtmlTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("<b>&\"'", "&lt;b&gt;&amp;&quot;&#39;")]
    [InlineData("bell\u0007 and nul\0", "bell and nul")]
    [InlineData(null, "")]
    public void Escape_Text_IsSafeForHtmlAndXml(string? input, string expected) =>
        Assert.Equal(expected, Html.Escape(input));

    [Fact]
    public void Escape_Surrogates_KeepsPairsReplacesLoneOnes()
    {
        // Built at run time: a lone surrogate does not survive an attribute's UTF-8 encoding.
        var lone = "lone " + (char)0xD800 + " surrogate";
        var pair = "pair " + char.ConvertFromUtf32(0x1F680) + " kept";

        Assert.Equal("lone \uFFFD surrogate", Html.Escape(lone));
        Assert.Equal(pair, Html.Escape(pair));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.012345, "0.0123")]
    [InlineData(1.0, "1.00")]
    [InlineData(12.34, "12.3")]
    [InlineData(99.96, "100")]
    [InlineData(1234.5, "1,235")]
    [InlineData(-0.5, "-0.500")]
    [InlineData(double.NaN, "—")]
    [InlineData(double.PositiveInfinity, "—")]
    public void Sig_Value_ThreeSignificantFigures(double value, string expected) =>
        Assert.Equal(expected, Html.Sig(value));

    [Theory]
    [InlineData(4.09e9, "FLOP", "4.09 GFLOP")]
    [InlineData(25_557_032, "", "25.6 M")]
    [InlineData(950, "", "950")]
    [InlineData(1500, "B", "1.50 kB")]
    public void Si_Value_UsesPrefix(double value, string unit, string expected) =>
        Assert.Equal(expected, Html.Si(value, unit));

    [Fact]
    public void Usd_Null_IsUnpriced()
    {
        Assert.Equal("unpriced", Html.Usd(null));
        Assert.Equal("unpriced", Html.UsdCents(null));
        Assert.Equal("$0.210", Html.Usd(0.21));
        Assert.Equal("$1,234.50", Html.UsdCents(1234.5));
    }

    [Theory]
    [InlineData(double.NaN, "0")]
    [InlineData(double.NegativeInfinity, "0")]
    [InlineData(-0.001, "0")]
    [InlineData(12.346, "12.35")]
    [InlineData(0.125, "0.13")]
    [InlineData(-3.5, "-3.5")]
    public void SvgN_Coordinate_IsFiniteInvariantText(double value, string expected) =>
        Assert.Equal(expected, SvgWriter.N(value));
}
