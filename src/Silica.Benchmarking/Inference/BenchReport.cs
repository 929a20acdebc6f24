using Silica.Benchmarking.Results;

namespace Silica.Benchmarking.Inference;

/// <summary>
/// Everything one <c>silica bench</c> invocation measured, as written to <c>results.json</c>: where it ran,
/// what model and configuration, and one entry per (threads, batch size) point. Versioned by
/// <see cref="SchemaVersion"/>; readers reject versions they do not know.
/// </summary>
public sealed record BenchReport
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of this schema.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always "measured": every figure in a bench report comes from running the model here.</summary>
    public string Basis { get; init; } = "measured";

    /// <summary>The model that ran.</summary>
    public required BenchModel Model { get; init; }

    /// <summary>The backend and device.</summary>
    public required string Backend { get; init; }

    /// <summary>The machine, OS and runtime versions.</summary>
    public required EnvironmentInfo Environment { get; init; }

    /// <summary>The options the run used.</summary>
    public required BenchConfiguration Configuration { get; init; }

    /// <summary>One entry per measured point, in the order measured.</summary>
    public IReadOnlyList<BenchPoint> Points { get; init; } = [];

    /// <summary>The batch-latency curve per thread count (what the predictor calibrates against).</summary>
    public IReadOnlyList<BatchLatencyCurve> Curves { get; init; } = [];
}

/// <summary>The model in a bench report.</summary>
/// <param name="Name">What the user typed (file name or <c>zoo:name</c>).</param>
/// <param name="Sha256">SHA-256 of the model file that ran.</param>
/// <param name="Flops">FLOPs per sample counted from the graph at the bound sizes (batch 1), when known.</param>
/// <param name="Parameters">Parameter count.</param>
public sealed record BenchModel(string Name, string Sha256, double? Flops, long Parameters);

/// <summary>The configuration in a bench report, in user terms.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="BatchSizes">Batch sizes swept.</param>
/// <param name="ThreadCounts">Thread counts swept (0 = backend default).</param>
/// <param name="TargetQps">Server rate.</param>
/// <param name="LatencyBoundUs">Server p99 bound in microseconds.</param>
/// <param name="Concurrency">Outstanding queries for the concurrency scenario.</param>
/// <param name="Batching">Dynamic batcher settings, or null when off.</param>
/// <param name="Bindings">Symbolic dimension sizes.</param>
public sealed record BenchConfiguration(
    string Scenario,
    IReadOnlyList<int> BatchSizes,
    IReadOnlyList<int> ThreadCounts,
    double? TargetQps,
    double? LatencyBoundUs,
    int Concurrency,
    string? Batching,
    IReadOnlyDictionary<string, long> Bindings)
{
    /// <summary>The compute precision sessions were asked for: fp32, tf32, fp16, bf16, int8 or fp8.</summary>
    public string Precision { get; init; } = "fp32";
}

/// <summary>One measured point of the sweep.</summary>
/// <param name="Threads">Intra-op threads (0 = backend default).</param>
/// <param name="BatchSize">Samples per query.</param>
/// <param name="Result">The load generator's result.</param>
/// <param name="Energy">Energy per inference.</param>
/// <param name="AverageBatchSize">With batching on: the average batch the batcher executed.</param>
/// <param name="MaxQps">With <c>--qps auto</c>: the highest rate found that met the p99 bound (the result is that run).</param>
/// <param name="Probes">With <c>--qps auto</c>: every rate tried, in order.</param>
public sealed record BenchPoint(int Threads, int BatchSize, BenchmarkResult Result, EnergyFigure Energy, double? AverageBatchSize,
    double? MaxQps = null, IReadOnlyList<CapacityProbe>? Probes = null);

/// <summary>One rate tried by a capacity search.</summary>
/// <param name="TargetQps">The Poisson rate.</param>
/// <param name="AchievedQps">Completed queries per second.</param>
/// <param name="P99Us">p99 latency in microseconds.</param>
/// <param name="Passed">Whether the bound held and the rate was sustained.</param>
public sealed record CapacityProbe(double TargetQps, double AchievedQps, double P99Us, bool Passed);

/// <summary>Energy per inference and how it was obtained.</summary>
/// <param name="JoulesPerInference">Average energy per sample.</param>
/// <param name="AverageWatts">Average power over the run.</param>
/// <param name="Source"><c>measured</c> (a hardware counter) or <c>estimated</c>.</param>
/// <param name="Method">The counter read, or the estimate's formula and assumptions.</param>
public sealed record EnergyFigure(double JoulesPerInference, double AverageWatts, string Source, string Method);
