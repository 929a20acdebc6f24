using BenchmarkDotNet.Attributes;
using Silica.Onnx.Cost;
using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;
using Silica.Onnx.Zoo;

namespace Silica.Benchmarks;

/// <summary>
/// How long Silica.Onnx takes to parse, infer shapes for and cost the largest zoo model (GPT-2 medium, 24 layers,
/// weightless: the graph is what costs time, not the weight bytes), and to parse/serialize a real published model
/// with its weights (the PaddleOCR recognizer, 10.8 MB).
/// <c>dotnet run -c Release --project benchmarks/Silica.Benchmarks -- --filter '*OnnxPipeline*'</c>
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[MedianColumn]
public class OnnxPipelineBenchmarks
{
    private static readonly Dictionary<string, long> Bindings = new() { ["batch"] = 1, ["seq"] = 128 };
    private byte[] _gpt2 = [];
    private byte[] _ocr = [];
    private OnnxModel _inferred = null!;
    private OnnxModel _ocrModel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gpt2 = ModelZoo.Build("gpt2-medium-prefill", new ZooBuildOptions { WithWeights = false }).ToBytes();
        var ocrPath = Path.Combine(FindRepoRoot(), ".cache", "testdata", "ocr-models", "ch_PP-OCRv4_rec_infer.onnx");
        _ocr = File.Exists(ocrPath) ? File.ReadAllBytes(ocrPath) : _gpt2; // run scripts/fetch-test-data.sh for the real model
        _ocrModel = OnnxModel.Load(_ocr);
        _inferred = OnnxModel.Load(_gpt2);
        ShapeInferencer.Infer(_inferred, Bindings);
    }

    [Benchmark(Description = "gpt2-medium: parse")]
    public OnnxModel ParseLargestZoo() => OnnxModel.Load(_gpt2);

    [Benchmark(Description = "gpt2-medium: parse + infer shapes")]
    public ShapeInferenceResult ParseAndInfer() => ShapeInferencer.Infer(OnnxModel.Load(_gpt2), Bindings);

    [Benchmark(Description = "gpt2-medium: cost counting")]
    public ModelCost CountCost() => CostModel.Analyze(_inferred);

    [Benchmark(Description = "gpt2-medium: parse + infer + cost")]
    public ModelCost WholePipeline()
    {
        var model = OnnxModel.Load(_gpt2);
        ShapeInferencer.Infer(model, Bindings);
        return CostModel.Analyze(model);
    }

    [Benchmark(Description = "OCR recognizer (10.8 MB): parse")]
    public OnnxModel ParseOcr() => OnnxModel.Load(_ocr);

    [Benchmark(Description = "OCR recognizer (10.8 MB): serialize")]
    public byte[] SerializeOcr() => _ocrModel.ToBytes();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Silica.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? ".";
    }
}
