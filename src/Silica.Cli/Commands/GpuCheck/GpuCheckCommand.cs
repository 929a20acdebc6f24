using System.CommandLine;
using Silica.Runtime.Backends;
using Spectre.Console;

namespace Silica.Cli.Commands.GpuCheck;

/// <summary>
/// <c>silica gpu-check</c>: runs the zoo and OCR models on a backend (cuda by default) in each precision and on the
/// CPU backend in FP32, on the same seeded inputs, and reports error, cosine similarity and pass/fail per
/// (model, precision); optionally also the ONNX node tests. Exit code 0 when nothing failed, 1 when something did.
/// </summary>
internal static class GpuCheckCommand
{
    public static Command Create()
    {
        var backend = new Option<string>("--backend") { Description = "Backend under test", DefaultValueFactory = _ => "cuda" };
        var models = new Option<string?>("--models") { Description = $"Models to check, comma-separated (default: all of {string.Join(",", CheckModel.AllNames)}; OCR models only with --ocr-dir)" };
        var precision = new Option<string>("--precision") { Description = "Precisions to check (fp8 on transformer models only)", DefaultValueFactory = _ => CheckPrecision.AllLabels };
        var ocrDir = new Option<string?>("--ocr-dir") { Description = "Folder holding the three PaddleOCR .onnx models" };
        var nodeTests = new Option<string?>("--node-tests") { Description = "Folder of ONNX backend node tests to run too (FP32 and FP16 passes)" };
        var batch = new Option<int>("--batch") { Description = "Batch size for zoo models", DefaultValueFactory = _ => 2 };
        var seq = new Option<int>("--seq") { Description = "Sequence length for transformer models", DefaultValueFactory = _ => 128 };
        var seed = new Option<int>("--seed") { Description = "Seed for the random inputs", DefaultValueFactory = _ => 42 };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file" };
        var diagnose = new Option<bool>("--diagnose") { Description = "On a failing CUDA check, compare step by step with Silica's reference interpreter and name the first wrong steps" };
        var timing = new Option<int>("--timing") { Description = "CUDA only: after a passing check, time this many runs (medians of device and wall time)" };
        var efficiency = new Option<bool>("--efficiency") { Description = "CUDA only: measure GEMM layers against bare cuBLASLt and memory-bound kernels against copy bandwidth" };

        var command = new Command("gpu-check", "Check a backend's numerics against the CPU backend on real models, per precision, and its ONNX node-test coverage")
        {
            backend, models, precision, ocrDir, nodeTests, batch, seq, seed, json, diagnose, efficiency, timing,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ =>
        {
            var dir = parse.GetValue(ocrDir);
            var request = new GpuCheckRequest(
                parse.GetValue(backend)!,
                ParseModels(parse.GetValue(models), dir is not null),
                CheckPrecision.ParseList(parse.GetValue(precision)!),
                dir,
                parse.GetValue(nodeTests),
                Positive(parse.GetValue(batch), "--batch"),
                Positive(parse.GetValue(seq), "--seq"),
                parse.GetValue(seed),
                parse.GetValue(json))
            {
                Diagnose = parse.GetValue(diagnose),
                Efficiency = parse.GetValue(efficiency),
                Timing = Math.Max(0, parse.GetValue(timing)),
            };
            if (dir is not null && !Directory.Exists(dir))
            {
                throw new UsageException($"--ocr-dir '{dir}' does not exist");
            }
            if (request.NodeTestsDir is { } n && !Directory.Exists(n))
            {
                throw new UsageException($"--node-tests '{n}' does not exist");
            }
            // Fails first, with the registry's one-line reason, before anything is built.
            var underTest = BackendRegistry.Default.Get(request.Backend);
            var reference = BackendRegistry.Default.Get("cpu");
            var report = GpuCheckRunner.Run(request, underTest, reference, line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            GpuCheckPrinter.Print(report);
            if (request.JsonPath is { } path)
            {
                GpuCheckJson.Write(report, path);
                AnsiConsole.MarkupLine($"[grey]Report written to {Markup.Escape(path)}.[/]");
            }
            return Task.FromResult(report.AllPassed ? 0 : 1);
        }, ct));
        return command;
    }

    private static List<string> ParseModels(string? text, bool haveOcr)
    {
        if (text is null)
        {
            return [.. CheckModel.AllNames.Where(n => haveOcr || !n.StartsWith("ocr-", StringComparison.Ordinal))];
        }
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var name in list)
        {
            if (!CheckModel.AllNames.Contains(name, StringComparer.OrdinalIgnoreCase) && Silica.Onnx.Zoo.ModelZoo.Find(name) is null)
            {
                throw new UsageException($"unknown model '{name}'; gpu-check knows {string.Join(", ", CheckModel.AllNames)}");
            }
        }
        return list.Count > 0 ? list : throw new UsageException("--models needs at least one model");
    }

    private static int Positive(int value, string flag) => value > 0 ? value : throw new UsageException($"{flag} must be at least 1; got {value}");
}
