using System.Text.Json.Serialization;
using Silica.Optimization.Optimizer;

namespace Silica.Cli.Commands.Optimize;

/// <summary>The JSON form of an optimize report (stable field names for scripts; fractions, not percentages).</summary>
internal sealed record OptimizeJson(
    int SchemaVersion,
    string Model,
    string Precision,
    string Output,
    OptimizeSizeJson Size,
    IReadOnlyList<OptimizePassJson> Passes,
    OptimizeNodesJson Nodes,
    OptimizeDataJson? Calibration,
    OptimizeAccuracyJson? Accuracy,
    OptimizeSpeedJson? Speed,
    string? SpeedNotMeasured,
    IReadOnlyList<string> Notes)
{
    public static OptimizeJson From(OptimizeResult r) => new(
        1,
        r.Model,
        r.Precision.Name(),
        r.OutputPath,
        new OptimizeSizeJson(r.BytesBefore, r.BytesAfter, r.SizeRatio),
        [.. r.Passes.Select(p => new OptimizePassJson(p.Pass, p.Changes, p.Details))],
        new OptimizeNodesJson(r.Converted.Sum(c => c.Count), r.Kept.Count,
            [.. r.Converted.Select(c => new OptimizeOpsJson(c.OpType, c.Count, c.Form))],
            [.. r.Kept.Select(n => new OptimizeNodeJson(n.Node, n.OpType, n.Detail))]),
        r.Calibration is { } c ? new OptimizeDataJson(c.Source, c.Samples, c.IsSynthetic) : null,
        r.Accuracy is { } a
            ? new OptimizeAccuracyJson(
                [.. a.Scores.Select(s => new OptimizeMetricJson(s.Metric, s.Reference, s.Candidate, s.Drop))],
                new OptimizeDataJson(a.Data.Source, a.Data.Samples, a.Data.IsSynthetic), a.Budget, a.MeetsBudget, a.Emulated)
            : null,
        r.Speed is { } s
            ? new OptimizeSpeedJson($"measured on {s.Device}", s.Device, s.Threads, s.Batch, s.OriginalMedianMs, s.OptimizedMedianMs, s.Speedup, s.Runs)
            : null,
        r.SpeedNotMeasured,
        r.Notes);
}

internal sealed record OptimizeSizeJson(long BytesBefore, long BytesAfter, double Ratio);

internal sealed record OptimizePassJson(string Pass, int Changes, IReadOnlyList<string> Details);

internal sealed record OptimizeNodesJson(int ConvertedCount, int KeptCount, IReadOnlyList<OptimizeOpsJson> Converted, IReadOnlyList<OptimizeNodeJson> Kept);

internal sealed record OptimizeOpsJson(string OpType, int Count, string Form);

internal sealed record OptimizeNodeJson(string Node, string OpType, string Detail);

internal sealed record OptimizeDataJson(string Source, int Samples, bool Synthetic);

internal sealed record OptimizeMetricJson(string Metric, double Reference, double Candidate, double Drop);

internal sealed record OptimizeAccuracyJson(IReadOnlyList<OptimizeMetricJson> Metrics, OptimizeDataJson Data, double? Budget, bool? MeetsBudget, bool Emulated);

internal sealed record OptimizeSpeedJson(string Basis, string Device, int Threads, long Batch, double OriginalMedianMs, double OptimizedMedianMs, double Speedup, int Runs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(OptimizeJson))]
internal sealed partial class OptimizeJsonContext : JsonSerializerContext;
