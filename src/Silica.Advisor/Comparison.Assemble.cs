using System.Globalization;
using Silica.Advisor.Claims;
using Silica.Advisor.Results;
using Silica.Hardware;

namespace Silica.Advisor;

/// <summary>Ranking the rows and gathering the curves, breakdowns, verdicts and notes of a comparison.</summary>
public static partial class Comparison
{
    /// <summary>How many of the top deployments get a curve and a time breakdown in the results.</summary>
    private const int Charted = 8;

    private static CompareResults Assemble(Context context, IReadOnlyList<Evaluated> evaluated, IReadOnlyList<Claim> claims)
    {
        var request = context.Request;
        var ordered = evaluated
            .OrderBy(e => e.Row.Feasible ? (e.Row.CostPerMillion is null ? 1 : 0) : 2)
            .ThenBy(e => e.Row.CostPerMillion ?? double.MaxValue)
            .ThenBy(e => e.Row.CostPerMillionAtCapacity ?? double.MaxValue)
            .ThenBy(e => e.Row.P99Ms)
            .ThenBy(e => e.Row.InstanceId, StringComparer.Ordinal)
            .ThenBy(e => e.Row.Precision, StringComparer.Ordinal)
            .ToList();
        var rows = new List<Deployment>(ordered.Count);
        var rank = 0;
        foreach (var e in ordered)
        {
            rows.Add(e.Row with { Rank = e.Row.Feasible ? ++rank : 0 });
        }
        rows = MarkPareto(rows);

        var chartedRows = ordered.Where(e => e.Row.Feasible && e.Curve is not null).Take(Charted)
            .Concat(ordered.Where(e => e.Row.InstanceId == Measurement.LocalTarget.InstanceId && e.Curve is not null).Take(1))
            .DistinctBy(e => (e.Row.InstanceId, e.Row.Precision))
            .ToList();
        var curves = chartedRows.Select(e => new TargetCurve(e.Row.InstanceId, e.Row.Precision, e.Curve!.Measured ? "measured" : "predicted",
            [.. e.Curve.Points.Select(p => new CurvePoint(p.Batch, p.Seconds * 1e3, p.LowSeconds * 1e3, p.HighSeconds * 1e3,
                e.Row.ReplicasPerInstance * p.Batch / p.Seconds))])).ToList();
        var breakdowns = chartedRows
            .Select(e => (e, Batch: e.Row.MaxBatch > 0 ? e.Row.MaxBatch : 1))
            .Where(x => x.e.Curve!.Predictions.ContainsKey(x.Batch))
            .Select(x => new TimeBreakdown(x.e.Row.InstanceId, x.e.Row.Precision, x.Batch,
                x.e.Curve!.Predictions[x.Batch].SecondsByOpClass.ToDictionary(kv => kv.Key, kv => kv.Value * 1e3)))
            .ToList();
        var verdicts = claims.Select(c => ClaimEvaluator.Evaluate(c, rows, (d, t) => Matches(request.Catalog, d, t))).ToList();
        var first = context.Builder.At(1);
        return new CompareResults
        {
            CreatedUtc = DateTimeOffset.UtcNow,
            Model = new ModelInfo(request.Model.Name, request.Model.Path, request.Model.Bindings, first.Flops, first.ParameterCount, first.ParameterBytes),
            Requirement = new Requirement(request.Qps, request.SloP99.TotalMilliseconds, [.. request.Precisions.Select(Prediction.Precision.Name)]),
            Local = context.Local,
            Calibration = context.Calibration,
            Deployments = rows,
            Curves = curves,
            Breakdowns = breakdowns,
            Claims = verdicts,
            Notes = Notes(context, rows),
            Accuracy = request.AccuracyScreen,
        };
    }

    private static bool Matches(Catalog catalog, Deployment d, string target) =>
        catalog.FindInstance(d.InstanceId) is { } i && CompareRequest.Matches(i, target);

    /// <summary>Marks feasible priced rows that no other row beats on both cost and p99.</summary>
    private static List<Deployment> MarkPareto(List<Deployment> rows)
    {
        var priced = rows.Where(r => r.Feasible && r.CostPerMillion is not null).ToList();
        return [.. rows.Select(r => r.Feasible && r.CostPerMillion is { } cost && !priced.Any(o =>
            o.CostPerMillion <= cost && o.P99Ms <= r.P99Ms && (o.CostPerMillion < cost || o.P99Ms < r.P99Ms))
            ? r with { OnParetoFront = true }
            : r)];
    }

    private static List<string> Notes(Context context, IReadOnlyList<Deployment> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var notes = new List<string>
        {
            "Predicted rows: per-node roofline with efficiency priors per device class (docs/prediction.md); the band is the prior's 90% interval. Measured rows: service times timed on this machine. Queueing is simulated for every row (Poisson arrivals, requests spread evenly over replicas).",
            "$ per 1M inferences at your load = whole instances needed x on-demand price / (required QPS x 3600) x 1e6; at capacity = price / (instance capacity under the SLO x 3600) x 1e6, the unit cost vendor claims quote. Bands come from the latency band.",
        };
        if (context.Local is null)
        {
            notes.Add("Nothing was measured here (measuring skipped or no local instance), so no row is calibrated.");
        }
        if (rows.Any(r => r.InstanceId == Measurement.LocalTarget.InstanceId && r.PricePerHour is null))
        {
            notes.Add("This machine is unpriced; pass --local-price USD_PER_HOUR to rank it among the cloud offers.");
        }
        if (context.Request.AccuracyScreen is { } screen)
        {
            notes.Add(string.Create(c, $"--precision auto: only precisions whose accuracy stayed within {screen.BudgetPoints:0.####} points of FP32 are in the table. ") +
                "Accuracy was measured here on the CPU (ONNX Runtime); cost and latency are predicted per target.");
        }
        else if (context.Request.Precisions.Any(p => p is NumericFormat.Int8 or NumericFormat.Fp8))
        {
            notes.Add("int8/fp8 rows assume a quantized model whose accuracy you have checked; they predict speed, not accuracy.");
        }
        else
        {
            notes.Add("int8 and fp8 were not considered: they change the model's accuracy, which this comparison does not check. Add them with --precision fp32,bf16,fp16,int8,fp8, or let --precision auto check their accuracy here first.");
        }
        var estimated = context.Request.Catalog.Instances.Where(i => i.PricePerHour?.Note is not null).Select(i => i.Id).ToList();
        if (estimated.Count > 0)
        {
            notes.Add(string.Create(c, $"Prices with caveats (see 'silica catalog ID'): {string.Join(", ", estimated)}."));
        }
        return notes;
    }
}
