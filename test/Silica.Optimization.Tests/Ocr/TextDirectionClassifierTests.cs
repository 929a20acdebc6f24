using Silica.Optimization.Ocr;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Ocr;

public sealed class TextDirectionClassifierTests(ITestOutputHelper output)
{
    [Fact]
    public void IsUpsideDown_UprightAndTurnedLines_TellsThemApart()
    {
        var lines = OcrDataset.RenderLines(16, seed: 11, OcrTestData.FontPath).Select(l => l.Image).ToArray();
        using var session = OcrTestData.Open(OcrTestData.Classifier);
        var classifier = new TextDirectionClassifier(session);
        var upright = classifier.IsUpsideDown(lines).Count(f => !f);
        var turned = classifier.IsUpsideDown([.. lines.Select(TextCrop.Rotate180)]).Count(f => f);
        output.WriteLine($"upright read as upright: {upright}/16, turned read as turned: {turned}/16");
        Assert.True(upright >= 15, $"{upright}/16 upright lines classified upright");
        Assert.True(turned >= 12, $"{turned}/16 turned lines classified turned");
    }
}
