using System.Diagnostics;
using Silica.Optimization.Ocr;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Ocr;

public sealed class OcrPipelineTests(ITestOutputHelper output)
{
    [Fact]
    public void Read_RenderedPages_ReadsTheLinesInOrder()
    {
        var clock = Stopwatch.StartNew();
        var pages = OcrDataset.RenderPages(4, seed: 3, OcrTestData.FontPath);
        using var det = OcrTestData.Open(OcrTestData.Detector);
        using var rec = OcrTestData.Open(OcrTestData.Recognizer);
        using var cls = OcrTestData.Open(OcrTestData.Classifier);
        var pipeline = new OcrPipeline(det, rec, OcrTestData.Dictionary, cls);
        var read = new List<string>();
        var truth = new List<string>();
        double iou = 0;
        var boxes = 0;
        foreach (var page in pages)
        {
            var result = pipeline.Read(page.Image);
            read.Add(result.Text);
            truth.Add(page.Text);
            iou += BoxIouMetric.MatchedIoU([.. page.Lines.Select(l => l.Box)], [.. result.Regions.Select(r => r.Box)]);
            boxes += Math.Max(page.Lines.Count, result.Regions.Count);
            output.WriteLine($"--- {page.Lines.Count} lines, {result.Regions.Count} regions");
            foreach (var (line, i) in page.Lines.Select((l, i) => (l, i)))
            {
                output.WriteLine($"  truth {line.Box}: {line.Text}");
            }
            foreach (var r in result.Regions)
            {
                output.WriteLine($"  read  {r.Box} conf {r.Confidence:F2}: {r.Text}");
            }
        }
        // Whole pages are compared, newlines included, so a missed, split or extra line costs its characters.
        var accuracy = CharacterAccuracy.Of(read, truth);
        output.WriteLine($"end-to-end FP32 on {pages.Count} pages ({truth.Sum(t => t.Split('\n').Length)} lines): {accuracy}; box IoU vs ink boxes {iou / boxes:F3}; {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(accuracy.Accuracy > 0.97, $"end-to-end character accuracy {accuracy}");
    }

    [Fact]
    public void Read_PageTurnedUpsideDown_ClassifierTurnsTheLinesBack()
    {
        var pages = OcrDataset.RenderPages(1, seed: 4, OcrTestData.FontPath);
        using var det = OcrTestData.Open(OcrTestData.Detector);
        using var rec = OcrTestData.Open(OcrTestData.Recognizer);
        using var cls = OcrTestData.Open(OcrTestData.Classifier);
        var withClassifier = new OcrPipeline(det, rec, OcrTestData.Dictionary, cls);
        var without = new OcrPipeline(det, rec, OcrTestData.Dictionary);
        // Turned half a turn, the last line comes first.
        var truth = pages.Select(p => string.Join('\n', p.Lines.Reverse().Select(l => l.Text))).ToArray();
        var turned = pages.Select(p => TextCrop.Rotate180(p.Image)).ToArray();
        var fixedUp = CharacterAccuracy.Of([.. turned.Select(i => withClassifier.Read(i).Text)], truth);
        var raw = CharacterAccuracy.Of([.. turned.Select(i => without.Read(i).Text)], truth);
        output.WriteLine($"upside-down pages: with classifier {fixedUp}, without {raw}");
        Assert.True(fixedUp.Accuracy > 0.95, $"with the classifier: {fixedUp}");
        Assert.True(raw.Accuracy < 0.5, $"without the classifier: {raw}");
    }

    [Fact]
    public void Constructor_RecognizerGivenAsDetector_SaysWhichModelIsWrong()
    {
        using var rec = OcrTestData.Open(OcrTestData.Recognizer);
        using var det = OcrTestData.Open(OcrTestData.Detector);
        var e = Assert.Throws<ArgumentException>(() => new OcrPipeline(rec, det, OcrTestData.Dictionary));
        Assert.DoesNotContain('\n', e.Message);
        output.WriteLine(e.Message);
    }

    [Fact]
    public void ModelSet_FromTheModelFolder_ReadsAPage()
    {
        var folder = Path.GetDirectoryName(OcrTestData.Recognizer)!;
        using var models = OcrModelSet.Load(folder, Silica.Runtime.Backends.BackendRegistry.Default.Get("cpu"),
            new Silica.Runtime.Backends.SessionOptions { IntraOpThreads = 2, AllowSpinning = false });
        var page = OcrDataset.RenderPages(1, seed: 8, OcrTestData.FontPath, width: 512, height: 256)[0];
        var result = models.CreatePipeline(useClassifier: false).Read(page.Image);
        var accuracy = CharacterAccuracy.Of([result.Text], [page.Text]);
        output.WriteLine($"{page.Lines.Count} lines: {accuracy}");
        Assert.True(accuracy.Accuracy > 0.9, accuracy.ToString());
    }

    [Fact]
    public void ModelSet_MissingFolder_NamesTheMissingFile()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OcrModelSet.Load("/nonexistent-ocr", Silica.Runtime.Backends.BackendRegistry.Default.Get("cpu")));
        Assert.Contains(OcrModelSet.DetectorFile, e.Message, StringComparison.Ordinal);
    }
}
