using System.Text.Json;
using System.Text.Json.Serialization;
using Silica.Prediction.Serving;

namespace Silica.Cli.Commands.Simulate;

/// <summary>The JSON form of a simulate run (stable field names for scripts; latencies in milliseconds).</summary>
internal sealed record SimulateJson(
    int SchemaVersion,
    string Basis,
    string Curve,
    string Model,
    string CurveBasis,
    int Threads,
    string Batching,
    int RowsPerRequest,
    int Requests,
    int Seed,
    IReadOnlyList<SimulateOverheadJson> Overhead,
    string? CalibratedFrom,
    IReadOnlyList<SimulateServicePointJson> ServiceTimes,
    IReadOnlyList<SimulateResultJson> Results,
    double? SloP99Ms,
    SimulateCapacityJson? Capacity)
{
    public static string Serialize(SimulationReport r) => JsonSerializer.Serialize(From(r), SimulateJsonContext.Default.SimulateJson);

    public static SimulateJson From(SimulationReport r) => new(
        1,
        "simulated",
        r.Curve.Path,
        r.Curve.Model,
        r.Curve.Basis,
        r.Curve.Threads,
        r.BatchingSpec,
        r.Policy.RowsPerRequest,
        r.Options.Requests,
        r.Options.Seed,
        [.. r.Options.Overhead.Quantiles.Select(q => new SimulateOverheadJson(q.Probability * 100, q.Seconds * 1000))],
        r.Calibration?.Path,
        [.. r.Curve.Sorted.Select(p => new SimulateServicePointJson(p.Batch, p.P50Seconds * 1000, p.P99Seconds * 1000))],
        [.. r.Results.Select(Result)],
        r.SloP99?.TotalMilliseconds,
        r.Capacity is { } c ? new SimulateCapacityJson(c.MaxQps, c.Iterations, Result(c.AtMax)) : null);

    private static SimulateResultJson Result(SimulationResult s) => new(
        s.ArrivalQps, Ms(s.P50Seconds), Ms(s.P90Seconds), Ms(s.P99Seconds), Ms(s.MeanSeconds),
        s.MeanBatchRows, s.Utilization, s.AchievedQps, s.RejectedFraction, s.Saturated);

    /// <summary>Milliseconds; null where no request completed (JSON has no infinity).</summary>
    private static double? Ms(double seconds) => double.IsFinite(seconds) ? seconds * 1000 : null;
}

/// <summary>One service-time point used, in milliseconds.</summary>
internal sealed record SimulateServicePointJson(int Batch, double P50Ms, double P99Ms);

/// <summary>The platform overhead at one percentile, in milliseconds.</summary>
internal sealed record SimulateOverheadJson(double Percentile, double Ms);

/// <summary>One simulated rate.</summary>
internal sealed record SimulateResultJson(double Qps, double? P50Ms, double? P90Ms, double? P99Ms, double? MeanMs,
    double MeanBatch, double Utilization, double AchievedQps, double RejectedFraction, bool Saturated);

/// <summary>The capacity search at the p99 bound.</summary>
internal sealed record SimulateCapacityJson(double MaxQps, int Iterations, SimulateResultJson AtMax);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SimulateJson))]
internal sealed partial class SimulateJsonContext : JsonSerializerContext;
