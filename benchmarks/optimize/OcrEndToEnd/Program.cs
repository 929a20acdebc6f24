// End-to-end OCR accuracy (detect → crop → recognize) on rendered pages, for benchmarks/optimize/ocr-accuracy.sh.
// The CLI's ocr-lines evaluation scores the recognizer alone on pre-cut lines; this scores the whole pipeline on pages,
// so a missed, split or extra detection costs its characters too.
using System.Diagnostics;
using System.Globalization;
using Silica.Optimization.Data;
using Silica.Optimization.Ocr;
using Silica.Runtime.Backends;

if (args.Length is < 1 or > 4)
{
    Console.Error.WriteLine("usage: OcrEndToEnd <ocr-models folder> [pages=40] [seed=3] [recognizer.onnx]");
    return 2;
}
var folder = args[0];
var pageCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var recognizer = args.Length > 3 ? args[3] : null;
var font = OcrLines.DefaultFont();
if (font is null)
{
    Console.Error.WriteLine("no DejaVu Sans font: install fonts-dejavu-core or run scripts/fetch-test-data.sh");
    return 1;
}
var clock = Stopwatch.StartNew();
var pages = OcrDataset.RenderPages(pageCount, seed, font);
using var models = OcrModelSet.Load(folder, BackendRegistry.Default.Get("cpu"),
    new SessionOptions { IntraOpThreads = 2, AllowSpinning = false }, recognizer);
var pipeline = models.CreatePipeline(useClassifier: true);
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
}
// Whole pages are compared, newlines included, as in OcrPipelineTests.
var accuracy = CharacterAccuracy.Of(read, truth);
var lines = pages.Sum(p => p.Lines.Count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"end-to-end OCR ({Path.GetFileName(recognizer ?? OcrModelSet.RecognizerFile)}): {pages.Count} pages, {lines} lines, seed {seed}, font {Path.GetFileName(font)}: character accuracy {accuracy}; mean box IoU {iou / boxes:F3}; {clock.Elapsed.TotalSeconds:F1} s"));
return 0;
