using Silica.Advisor.Report;

namespace Silica.Advisor.Tests.Report;

public sealed class LabelPlacerTests
{
    [Fact]
    public void Place_TwoLabelsOnOnePoint_DoNotOverlap()
    {
        var placer = new LabelPlacer(0, 0, 1000, 500, 11);

        var a = placer.Place(500, 250, "first label");
        var b = placer.Place(500, 250, "second label");

        Assert.NotEqual((a.X, a.Y, a.Anchor), (b.X, b.Y, b.Anchor));
        Assert.True(Math.Abs(a.Y - b.Y) >= 11 || a.Anchor != b.Anchor);
    }

    [Fact]
    public void Place_NearTheRightEdge_PutsTheLabelLeft()
    {
        var placer = new LabelPlacer(0, 0, 400, 300, 11);

        var spot = placer.Place(395, 150, "a long label that cannot fit right");

        Assert.Equal("end", spot.Anchor);
        Assert.True(spot.X < 395);
    }
}
