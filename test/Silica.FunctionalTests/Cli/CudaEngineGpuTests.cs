using System.Text.Json;
using Silica.Runtime.Backends;
using Silica.Tests;
using Xunit.Abstractions;

namespace Silica.FunctionalTests.Cli;

/// <summary>
/// The CUDA engine against ONNX Runtime on every zoo model and the three PaddleOCR models, through `silica gpu-check`.
/// Runs where an NVIDIA GPU is present; elsewhere (CI) it returns at once and says why in the test output.
/// </summary>
public sealed class CudaEngineGpuTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CudaEngine_EveryModel_Fp32AndFp16_MatchOnnxRuntime()
    {
        if (!BackendRegistry.Default.TryGet("cuda", out _))
        {
            try
            {
                BackendRegistry.Default.Get("cuda");
            }
            catch (BackendNotAvailableException e)
            {
                output.WriteLine($"Skipped (no GPU here): {e.Message}");
            }
            return;
        }
        var json = Path.Combine(Path.GetTempPath(), $"silica-cuda-{Guid.NewGuid():N}.json");
        try
        {
            var ocr = Path.GetDirectoryName(TestData.OcrModel(TestData.OcrModelFiles[0]))!;
            var r = await CliRunner.RunAsync("gpu-check", "--backend", "cuda", "--ocr-dir", ocr, "--precision", "fp32,fp16", "--json", json);
            output.WriteLine(r.StdOut);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var failed = doc.RootElement.GetProperty("models").EnumerateArray()
                .Where(m => m.GetProperty("status").GetString() != "pass")
                .Select(m => $"{m.GetProperty("model").GetString()} {m.GetProperty("precision").GetString()}")
                .ToList();
            // PP-OCRv4 det in FP16 misses 2e-2 (3.8e-2 on an H200) with every step agreeing with the FP16 reference
            // interpreter: FP16 storage, not a kernel (docs/perf.md §8).
            Assert.Equal(["ocr-det fp16"], failed);
        }
        finally
        {
            File.Delete(json);
        }
    }
}
