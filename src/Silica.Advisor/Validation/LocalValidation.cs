using System.Diagnostics;
using Silica.Advisor.Measurement;
using Silica.Hardware;
using Silica.Prediction;

namespace Silica.Advisor.Validation;

/// <summary>
/// <c>silica validate</c>: measures models at several batch sizes here, then predicts each point from a calibration that
/// did not see it (leave one batch out; leave one model out) and reports the errors, so users see how far to trust
/// predictions before trusting them on hardware nobody measured.
/// </summary>
public static class LocalValidation
{
    /// <summary>The models validated when none are named: one of each family the zoo has, at sizes that run in seconds here.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } = ["zoo:mlp", "zoo:mobilenetv2", "zoo:resnet50", "zoo:bert-base", "zoo:gpt2-small-prefill"];

    /// <summary>Sequence length the default text models run at (short, so a 2-core machine measures them in seconds).</summary>
    public const long DefaultSequence = 32;

    /// <summary>Measures and validates; <paramref name="progress"/> hears "model batch N" as each point starts.</summary>
    public static ValidationReport Run(Catalog catalog, IReadOnlyList<ModelInput> models, IReadOnlyList<int> batches, TimeSpan budgetPerModel,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        var started = Stopwatch.GetTimestamp();
        var target = LocalTarget.Create(catalog);
        var predictor = new RooflinePredictor();
        var observations = new List<(string Model, int Batch, Observation Obs)>();
        foreach (var model in models)
        {
            var builder = new WorkloadBuilder(model.Graph, model.Bindings);
            var points = LocalProfiler.Measure(model.Path, model.Graph, model.Bindings, batches, budgetPerModel,
                new Progress<int>(b => progress?.Report($"{model.Name} batch {b}")), cancellationToken);
            foreach (var (p, o) in points.Zip(LocalCalibration.Observe(predictor, builder, target, points, model.Name)))
            {
                observations.Add((model.Name, p.Batch, o));
            }
        }
        var measuredSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return Evaluate(observations, predictor.PriorFactors(target.Device.Class), measuredSeconds);
    }

    /// <summary>The held-out predictions and their errors for a set of observations.</summary>
    internal static ValidationReport Evaluate(IReadOnlyList<(string Model, int Batch, Observation Obs)> observations, CalibrationFactors prior, double measuredSeconds)
    {
        if (observations.Count < 2)
        {
            throw new ArgumentException("validation needs at least two measured points; raise the time budget");
        }
        var modelCount = observations.Select(o => o.Model).Distinct(StringComparer.Ordinal).Count();
        var points = new List<ValidationPoint>();
        for (var i = 0; i < observations.Count; i++)
        {
            var (model, batch, obs) = observations[i];
            // Leave one model out: factors fitted on the other models only. Leave one batch out: as `silica compare`
            // calibrates, on the same model's other batch sizes, anchored on what the other models say.
            var rest = observations.Where(o => o.Model != model).Select(o => o.Obs).ToList();
            CalibrationFactors? crossModel = rest.Count > 0 ? Calibrator.Fit(rest, "other models") : null;
            var sameModel = observations.Where((o, j) => j != i && o.Model == model).Select(o => o.Obs).ToList();
            var leaveBatch = sameModel.Count > 0
                ? obs.Terms.Total(Calibrator.Fit(sameModel, "same model, other batches", crossModel))
                : obs.Terms.Total(crossModel ?? prior);
            double? leaveModel = crossModel is null ? null : obs.Terms.Total(crossModel);
            points.Add(new ValidationPoint(model, batch, obs.MeasuredSeconds * 1e3, obs.Terms.Total(prior) * 1e3, leaveBatch * 1e3, leaveModel * 1e3));
        }
        var all = Calibrator.Fit([.. observations.Select(o => o.Obs)], "all points");
        return new ValidationReport(
            points,
            Median(points.Select(p => Math.Abs(p.LeaveBatchOutErrorPercent))),
            modelCount > 1 ? Median(points.Select(p => Math.Abs(p.LeaveModelOutErrorPercent!.Value))) : null,
            Median(points.Select(p => Math.Abs(100 * ((p.PriorMs / p.MeasuredMs) - 1)))),
            all.ToDictionary(),
            measuredSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
