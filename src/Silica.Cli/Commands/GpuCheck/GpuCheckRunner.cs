using System.Diagnostics;
using Silica.Benchmarking.Inference;
using Silica.Runtime.Backends;
using Silica.Runtime.Conformance;
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
    string? JsonPath);

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
                checks.Add(CheckOne(model, p, backend, inputs, expected));
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

    private static ModelCheck CheckOne(CheckModel model, CheckPrecision p, IBackend backend, Tensor[] inputs, double[][] expected)
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
        using (session)
        {
            try
            {
                var actual = RunOnce(model, session, inputs, out var ms);
                var parts = actual.Select((a, k) => TensorComparison.Compare(a, expected[k]));
                var worst = TensorComparison.Worst(parts);
                var status = p.Accepts(worst.PeakRelativeError, worst.Cosine) ? CheckStatus.Pass : CheckStatus.Fail;
                var note = p.Label == "tf32" ? "bar 1e-2, not 1e-3: TF32 keeps 10 mantissa bits" : null;
                return new ModelCheck(model.Name, p.Label, status, worst.PeakRelativeError, worst.Cosine, p.Criterion, ms, note);
            }
            catch (Exception e) when (e is InferenceException or InvalidInputException or ArgumentException or InvalidOperationException or NotSupportedException)
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
