using Silica.Optimization.Ocr;

namespace Silica.Optimization.Tests.Ocr;

public sealed class DbPostProcessorTests
{
    internal static float[] Map(int width, int height, params (int X0, int Y0, int X1, int Y1, float P)[] blocks)
    {
        var map = new float[width * height];
        foreach (var (x0, y0, x1, y1, p) in blocks)
        {
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    map[(y * width) + x] = p;
                }
            }
        }
        return map;
    }

    [Fact]
    public void FindBoxes_OneBlock_GrowsItByAreaTimesRatioOverPerimeter()
    {
        // Pixels x 10..49, y 20..29: the rectangle through their centres is 39 x 9; it grows by 39*9*1.5/96 = 5.48.
        var boxes = new DbPostProcessor().FindBoxes(Map(64, 48, (10, 20, 49, 29, 0.9f)), 64, 48, 64, 48);
        var box = Assert.Single(boxes);
        Assert.Equal(0.9, box.Score, 3);
        Assert.Equal(5, box.Left, 0);
        Assert.Equal(54, box.Right, 0);
        Assert.Equal(15, box.Top, 0);
        Assert.Equal(34, box.Bottom, 0);
        Assert.Equal((5.0, 15.0), box.Corners[0]);
    }

    [Fact]
    public void FindBoxes_ScalesToTheImage_AndDropsWeakAndTinyRegions()
    {
        var map = Map(64, 48, (10, 20, 49, 29, 0.9f), (10, 35, 49, 44, 0.4f), (55, 2, 56, 3, 0.95f));
        // Corners are scaled, then rounded (as PaddleOCR does): 4.52 * 2 -> 9, 54.48 * 2 -> 109.
        var box = Assert.Single(new DbPostProcessor().FindBoxes(map, 64, 48, 128, 96));
        Assert.Equal(9, box.Left, 0);
        Assert.Equal(109, box.Right, 0);
    }

    [Fact]
    public void FindBoxes_RotatedBar_GivesRotatedRectangle()
    {
        var map = new float[100 * 100];
        for (var y = 0; y < 100; y++)
        {
            for (var x = 0; x < 100; x++)
            {
                // A bar along the diagonal, about 7 px thick and 85 px long.
                if (Math.Abs(x - y) / Math.Sqrt(2) <= 3.5 && (x + y) / 2 is >= 20 and <= 80)
                {
                    map[(y * 100) + x] = 0.9f;
                }
            }
        }
        var box = Assert.Single(new DbPostProcessor().FindBoxes(map, 100, 100, 100, 100));
        var (dx, dy) = (box.Corners[1].X - box.Corners[0].X, box.Corners[1].Y - box.Corners[0].Y);
        var angle = Math.Abs(Math.Atan2(dy, dx) * 180 / Math.PI);
        Assert.InRange(angle, 40, 50);
    }

    [Fact]
    public void IoU_HalfOverlappingSquares_IsOneThird()
    {
        var a = TextBox.FromRectangle(0, 0, 10, 10, 1);
        var b = TextBox.FromRectangle(5, 0, 15, 10, 1);
        Assert.Equal(1 / 3.0, a.IoU(b), 10);
        Assert.Equal(1, a.IoU(a), 10);
        Assert.Equal(0, a.IoU(TextBox.FromRectangle(20, 20, 30, 30, 1)), 10);
    }

    [Fact]
    public void MeanIoU_MissedAndExtraBoxesCountAsZero()
    {
        var a = TextBox.FromRectangle(0, 0, 10, 10, 1);
        var b = TextBox.FromRectangle(0, 20, 10, 30, 1);
        Assert.Equal(0.5, BoxIouMetric.MeanIoU([[a, b]], [[a]]), 10);
        Assert.Equal(0.5, BoxIouMetric.MeanIoU([[a]], [[a, b]]), 10);
        Assert.Equal(1, BoxIouMetric.MeanIoU([[]], [[]]), 10);
    }
}
