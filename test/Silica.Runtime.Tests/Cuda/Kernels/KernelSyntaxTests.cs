using System.Diagnostics;
using System.Runtime.CompilerServices;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Kernels;
using Xunit.Abstractions;

namespace Silica.Runtime.Tests.Cuda.Kernels;

/// <summary>
/// Syntax-checks every emitted source with clang's CUDA front end against a stub of the CUDA headers
/// (cuda_syntax_stub.h; sm_80, the newest arch clang-14 knows — the syntax is the same), so typos and type errors surface here rather than in NVRTC on the GPU machine. Set
/// SILICA_KERNEL_DUMP to a folder to also write each source and a manifest of its buffers and launches there (for compiling them by hand on a GPU machine; `silica gpu-check --diagnose` is the routine check).
/// </summary>
public class KernelSyntaxTests(ITestOutputHelper output)
{
    private const string Clang = "/usr/bin/clang-14";

    [Fact]
    public void EmittedSources_AllStepKinds_PassClangCudaSyntaxCheck()
    {
        var sources = AllSources();
        var dump = Environment.GetEnvironmentVariable("SILICA_KERNEL_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            Directory.CreateDirectory(dump);
            foreach (var (name, source) in sources)
            {
                File.WriteAllText(Path.Combine(dump, name + ".cu"), source);
            }
            File.WriteAllText(Path.Combine(dump, "manifest.json"), Manifest());
        }
        if (!File.Exists(Clang))
        {
            output.WriteLine($"Skipped: {Clang} is not installed, so emitted CUDA sources were not syntax-checked.");
            return;
        }

        var dir = Directory.CreateTempSubdirectory("silica-kernels-");
        try
        {
            var failures = new List<string>();
            foreach (var (name, source) in sources)
            {
                var file = Path.Combine(dir.FullName, name + ".cu");
                File.WriteAllText(file, source);
                var (code, errors) = RunClang(file);
                if (code != 0)
                {
                    failures.Add($"{name}:\n{errors}");
                }
            }
            output.WriteLine($"{sources.Count} sources checked.");
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void SyntaxCheck_BrokenSource_Fails()
    {
        if (!File.Exists(Clang))
        {
            output.WriteLine($"Skipped: {Clang} is not installed.");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("silica-kernels-");
        try
        {
            var file = Path.Combine(dir.FullName, "broken.cu");
            File.WriteAllText(file, CudaSource.Prelude + "extern \"C\" __global__ void k(float* y) { y[0] = undefined_name; }\n");
            Assert.NotEqual(0, RunClang(file).Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Distinct sources (by entry) from the catalog and the executor helpers, named for error messages.</summary>
    internal static List<(string Name, string Source)> AllSources()
    {
        var launches = new List<(string, KernelLaunch)>();
        foreach (var (name, plan) in StepCatalog.All())
        {
            launches.AddRange(KernelEmitter.Emit(plan.Steps[0], plan).Select(l => (name, l)));
        }
        foreach (var type in new[] { TensorDataType.Float16, TensorDataType.BFloat16, TensorDataType.Float })
        {
            launches.Add(($"convert-fp8-{type}", KernelEmitter.Convert(null, type, TensorDataType.Float8E4M3FN, 10, new BufferArg(0), new BufferArg(1))));
            launches.Add(($"bias-add-{type}", KernelEmitter.BiasAdd(type, TensorDataType.Float, 1, 3, 4, new BufferArg(0), new BufferArg(1))));
            launches.AddRange(KernelEmitter.Fp8Quantize(type, 100, new BufferArg(0), new BufferArg(1), new BufferArg(2)).Select(l => ($"fp8-{type}", l)));
        }
        return launches.DistinctBy(l => l.Item2.Source).Select(l => ($"{l.Item1}-{l.Item2.Entry}", l.Item2.Source)).ToList();
    }

    /// <summary>Every catalog plan's buffers and launches as JSON, for a numeric check against numpy on a GPU machine.</summary>
    private static string Manifest() => System.Text.Json.JsonSerializer.Serialize(StepCatalog.All().Select(c => new
    {
        c.Name,
        Buffers = c.Plan.Buffers.Select(b => new { b.Id, Type = b.Type.ToString(), b.Shape }),
        Launches = KernelEmitter.Emit(c.Plan.Steps[0], c.Plan).Select(l => new
        {
            l.Source,
            l.Entry,
            Grid = new[] { l.Grid.X, l.Grid.Y, l.Grid.Z },
            Block = new[] { l.Block.X, l.Block.Y, l.Block.Z },
            l.SharedBytes,
            Args = l.Args.Select(a => a switch
            {
                BufferArg b => new object[] { "buf", b.BufferId },
                Int64Arg i => ["i64", i.Value],
                Int32Arg i => ["i32", i.Value],
                Float32Arg f => ["f32", f.Value],
                _ => ["?", 0],
            }),
        }),
    }));

    internal static (int Code, string Errors) RunClang(string file)
    {
        var info = new ProcessStartInfo(Clang)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[] { "-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_80",
            "-fsyntax-only", "-Wall", "-Wno-unused-function", "-Wno-unused-variable", "-D", "SILICA_SYNTAX_ONLY", "-include", StubHeader(), file })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }

    internal static string StubHeader([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "cuda_syntax_stub.h");
}
