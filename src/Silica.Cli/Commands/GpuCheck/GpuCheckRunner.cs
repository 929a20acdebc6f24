using System.Diagnostics;
using Silica.Benchmarking.Inference;
using Silica.Runtime.Backends;
using Silica.Runtime.Conformance;
using Silica.Runtime.Cuda;
using Silica.Runtime.Tensors;

namespace Silica.Cli.Commands.GpuCheck;

/// <summary>A parsed gpu-check invocation.</summary>
internal sealed record GpuCheckRequest(
    string Backend,
    IReadOnlyList<string> Models,
    IReadOnlyList<CheckPrecision> Precisions,
    string? OcrDir,
    string? NodeTestsDir,
    int Batch,
    int Seq,
    int Seed,
    string? JsonPath)
{
    /// <summary>On a failing CUDA check, compare step by step with the reference interpreter.</summary>
    public bool Diagnose { get; init; }

    /// <summary>Measure kernel efficiency (CUDA only) for every passing check.</summary>
    public bool Efficiency { get; init; }

    /// <summary>Runs to time after a passing CUDA check (medians of device time by CUDA events and of wall time with copies); 0 for none.</summary>
    public int Timing { get; init; }
}

/// <summary>
/// Runs every requested model on the backend under test in every requested precision, and once in FP32 on the
/// reference (CPU) backend, on the same seeded inputs; compares each output; then runs the node tests.
/// One model's failure (load, run, or shape) is recorded and the check moves on.
/// </summary>
internal static class GpuCheckRunner
{
    // Node tests check kernels, not numerics under reduced precision; FP32 and FP16 cover both code paths without
    // spending the GPU budget on five passes over hundreds of tiny graphs.
    private static readonly string[] NodeTestPrecisions = ["fp32", "fp16"];

    public static GpuCheckReport Run(GpuCheckRequest request, IBackend backend, IBackend reference, Action<string> progress)
    {
        var checks = new List<ModelCheck>();
        foreach (var name in request.Models)
        {
            progress($"{name}: building and running the {reference.Name} reference");
            checks.AddRange(CheckModelAllPrecisions(name, request, backend, reference, progress));
        }
        var nodeReports = new List<NodeTestReport>();
        if (request.NodeTestsDir is { } dir)
        {
            foreach (var p in request.Precisions.Where(p => NodeTestPrecisions.Contains(p.Label)))
            {
                progress($"node tests in {p.Label}");
                nodeReports.Add(NodeTestRunner.Run(backend, dir, new NodeTestOptions { Precision = p.Precision, AllowTf32 = p.AllowTf32 }));
            }
        }
        return new GpuCheckReport(backend.Name, backend.Device.Name, reference.Name, request.Batch, request.Seq, request.Seed, checks, nodeReports);
    }

    private static List<ModelCheck> CheckModelAllPrecisions(string name, GpuCheckRequest request, IBackend backend, IBackend reference, Action<string> progress)
    {
        CheckModel model;
        double[][] expected;
        Tensor[] inputs;
        try
        {
            model = CheckModel.Resolve(name, request.OcrDir, request.Batch, request.Seq);
            using var refSession = reference.CreateSession(model.Path, Options(model, Precision.Fp32, false));
            inputs = model.CreateInputs(refSession.Inputs, request.Seed);
            expected = RunOnce(model, refSession, inputs, out _);
        }
        catch (Exception e) when (e is not UsageException and not OutOfMemoryException)
        {
            // Without a reference nothing can be judged: every precision of this model fails with the cause.
            return [.. request.Precisions.Select(p => new ModelCheck(name, p.Label, CheckStatus.Fail, null, null, p.Criterion, null, $"reference run failed: {OneLine(e)}"))];
        }
        try
        {
            var checks = new List<ModelCheck>();
            foreach (var p in request.Precisions)
            {
                if (p.TransformersOnly && !model.IsTransformer)
                {
                    checks.Add(new ModelCheck(model.Name, p.Label, CheckStatus.Skip, null, null, p.Criterion, null, $"{p.Label} is checked on transformer models only"));
                    continue;
                }
                progress($"{model.Name}: {p.Label} on {backend.Name}");
                checks.Add(CheckOne(model, p, backend, inputs, expected, request, progress));
            }
            return checks;
        }
        finally
        {
            foreach (var t in inputs)
            {
                t.Dispose();
            }
        }
    }

    private static ModelCheck CheckOne(CheckModel model, CheckPrecision p, IBackend backend, Tensor[] inputs, double[][] expected,
        GpuCheckRequest request, Action<string> progress)
    {
        var check = CheckOneCore(model, p, backend, inputs, expected, request, progress);
        if (request.Diagnose && check.Status == CheckStatus.Fail && backend is CudaBackend cuda)
        {
            progress($"{model.Name}: {p.Label} failed; comparing step by step with the reference interpreter");
            try
            {
                var tolerance = p.Precision == Precision.Fp32 && !p.AllowTf32 ? 1e-3 : 3e-2;
                var lines = cuda.DiagnoseSteps(Silica.Onnx.Graph.OnnxModel.Load(model.Path), inputs, Options(model, p.Precision, p.AllowTf32), tolerance, 4);
                foreach (var line in lines)
                {
                    progress("  " + line);
                }
                check = check with { Note = $"{check.Note} | first wrong steps: {(lines.Count == 0 ? "none (every step agrees)" : string.Join(" ; ", lines))}" };
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                check = check with { Note = $"{check.Note} | diagnosis failed: {OneLine(e)}" };
            }
        }
        return check;
    }

    private static ModelCheck CheckOneCore(CheckModel model, CheckPrecision p, IBackend backend, Tensor[] inputs, double[][] expected,
        GpuCheckRequest request, Action<string> progress)
    {
        ISession session;
        try
        {
            session = backend.CreateSession(model.Path, Options(model, p.Precision, p.AllowTf32));
        }
        catch (Exception e) when (e is ModelLoadException or NotSupportedException)
        {
            return new ModelCheck(model.Name, p.Label, CheckStatus.Skip, null, null, p.Criterion, null, $"not loaded: {OneLine(e)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ModelCheck(model.Name, p.Label, CheckStatus.Fail, null, null, p.Criterion, null, $"load failed: {e.GetType().Name}: {OneLine(e)}");
        }
        using (session)
        {
            try
            {
                var actual = RunOnce(model, session, inputs, out var ms);
                var parts = actual.Select((a, k) => TensorComparison.Compare(a, expected[k]));
                var worst = TensorComparison.Worst(parts);
                var status = p.Accepts(worst.PeakRelativeError, worst.Cosine) ? CheckStatus.Pass : CheckStatus.Fail;
                var note = p.Label == "tf32" ? "bar 1e-2, not 1e-3: TF32 keeps 10 mantissa bits" : null;
                if (session is not null && backend is CudaBackend)
                {
                    var deviceMs = CudaBackend.LastDeviceMilliseconds(session);
                    var bytes = CudaBackend.DeviceBytes(session);
                    note = $"{note}{(note is null ? "" : "; ")}device {deviceMs:F3} ms, {bytes / 1048576.0:F0} MiB on device";
                    if (request.Timing > 0 && status == CheckStatus.Pass)
                    {
                        var (device, wall) = Time(model, session, inputs, request.Timing);
                        note += $"; timed {request.Timing} runs: median device {device:F4} ms, median wall with copies {wall:F4} ms";
                        progress($"  timing {model.Name} {p.Label} batch {request.Batch}: median device {device:F4} ms, wall {wall:F4} ms over {request.Timing} runs");
                    }
                    if (request.Efficiency && status == CheckStatus.Pass)
                    {
                        var eff = CudaBackend.Efficiency(session, inputs);
                        note += $"; GEMM layers at {eff.GemmFraction:P0} of bare cuBLASLt ({eff.Gemms.Count} GEMMs), memory-bound kernels at {eff.MemoryFraction:P0} of copy bandwidth {eff.CopyGigabytesPerSecond:F0} GB/s ({eff.MemoryKernels.Count} steps)";
                        foreach (var g in eff.Gemms.OrderByDescending(g => g.LayerMilliseconds).Take(6))
                        {
                            progress($"  gemm {g.Name} M={g.M} N={g.N} K={g.K} b={g.Batch}: layer {g.LayerMilliseconds:F4} ms, bare {g.BareMilliseconds:F4} ms, {g.Tflops:F0} TFLOP/s");
                        }
                        foreach (var k in eff.MemoryKernels.OrderByDescending(k => k.Milliseconds).Take(8))
                        {
                            progress($"  mem {k.Kind} {k.Name}: {k.Bytes / 1048576.0:F1} MiB in {k.Milliseconds:F4} ms = {k.GigabytesPerSecond:F0} GB/s");
                        }
                    }
                }
                return new ModelCheck(model.Name, p.Label, status, worst.PeakRelativeError, worst.Cosine, p.Criterion, ms, note);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new ModelCheck(model.Name, p.Label, CheckStatus.Fail, null, null, p.Criterion, null, $"run failed: {OneLine(e)}");
            }
        }
    }

    /// <summary>Runs twice (the first run warms up lazy initialisation), timing the second; returns the outputs as doubles.</summary>
    private static double[][] RunOnce(CheckModel model, ISession session, Tensor[] inputs, out double milliseconds)
    {
        var outputs = OutputBuffers.Create(model.Graph, session, inputs);
        try
        {
            session.Run(inputs, outputs);
            var clock = Stopwatch.StartNew();
            session.Run(inputs, outputs);
            milliseconds = clock.Elapsed.TotalMilliseconds;
            return [.. outputs.Select(TensorValues.ToDoubles)];
        }
        finally
        {
            foreach (var t in outputs)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Median device milliseconds (CUDA events) and median wall milliseconds (with host copies) over <paramref name="runs"/> runs after 3 warm-ups.</summary>
    private static (double Device, double Wall) Time(CheckModel model, ISession session, Tensor[] inputs, int runs)
    {
        var outputs = OutputBuffers.Create(model.Graph, session, inputs);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                session.Run(inputs, outputs);
            }
            var device = new double[runs];
            var wall = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                session.Run(inputs, outputs);
                wall[i] = clock.Elapsed.TotalMilliseconds;
                device[i] = CudaBackend.LastDeviceMilliseconds(session);
            }
            Array.Sort(device);
            Array.Sort(wall);
            return (device[runs / 2], wall[runs / 2]);
        }
        finally
        {
            foreach (var t in outputs)
            {
                t.Dispose();
            }
        }
    }

    private static SessionOptions Options(CheckModel model, Precision precision, bool allowTf32) => new()
    {
        Precision = precision,
        AllowTf32 = allowTf32,
        DimensionBindings = model.Bindings,
        ModelName = model.Name,
    };

    private static string OneLine(Exception e)
    {
        var line = e.Message.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
