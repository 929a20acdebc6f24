using System.Diagnostics;
using System.Globalization;
using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;
using Silica.Optimization.Passes;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Optimizer;

/// <summary>What <see cref="PrecisionGate"/> should check.</summary>
public sealed record PrecisionGateRequest
{
    /// <summary>The model with its weights (not changed).</summary>
    public required OnnxModel Model { get; init; }

    /// <summary>Sizes of symbolic dimensions other than the batch (for synthetic samples).</summary>
    public IReadOnlyDictionary<string, long> Bindings { get; init; } = new Dictionary<string, long>();

    /// <summary>The largest drop allowed for every metric, as an absolute fraction (0.01 = one point).</summary>
    public double Budget { get; init; } = PrecisionGate.DefaultBudget;

    /// <summary>The precisions to check; null checks <see cref="PrecisionGate.Candidates"/> of the model.</summary>
    public IReadOnlyList<TargetPrecision>? Precisions { get; init; }

    /// <summary>Calibration data for INT8 static and FP8; null calibrates on synthetic samples and says so.</summary>
    public SampleSet? Calibration { get; init; }

    /// <summary>Evaluation data; null uses the calibration data (with a note), else synthetic samples.</summary>
    public SampleSet? Evaluation { get; init; }

    /// <summary>How activation ranges are chosen from calibration data.</summary>
    public CalibrationMethod CalibrationMethod { get; init; } = CalibrationMethod.MinMax;

    /// <summary>The metrics; null picks by the model's outputs, as <c>silica optimize</c> does (<see cref="AccuracyGate.DefaultMetrics"/>).</summary>
    public IReadOnlyList<IAccuracyMetric>? Metrics { get; init; }

    /// <summary>How many synthetic samples to make for calibration and, separately, for evaluation when none are given.</summary>
    public int SyntheticSamples { get; init; } = PrecisionGate.DefaultSyntheticSamples;

    /// <summary>Seed for synthetic samples (evaluation uses the next seed, so it never repeats the calibration samples).</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>What <see cref="PrecisionGate"/> measured.</summary>
/// <param name="Budget">The allowed drop per metric (absolute fraction).</param>
/// <param name="Checks">One entry per precision checked, in the order checked.</param>
/// <param name="Evaluation">The evaluation data.</param>
/// <param name="Calibration">The calibration data, when a checked precision needed one.</param>
/// <param name="Notes">Facts the reader must know: synthetic data, precisions not tried and why.</param>
/// <param name="Seconds">Wall time of the whole gate.</param>
public sealed record PrecisionGateResult(double Budget, IReadOnlyList<PrecisionCheck> Checks, DataSummary Evaluation, DataSummary? Calibration,
    IReadOnlyList<string> Notes, double Seconds);

/// <summary>One precision's conversion and accuracy check.</summary>
/// <param name="Precision">The precision.</param>
/// <param name="Passed">True when it converted, ran, and the gated metric's drop is within the budget.</param>
/// <param name="Scores">Each metric, original vs converted model; empty when it could not be evaluated.</param>
/// <param name="GatedMetric">The metric held to the budget (the first, the task metric); the others are reported only.</param>
/// <param name="Reason">Why it failed (the metric over budget, or the conversion/run error); null when it passed.</param>
/// <param name="Emulated">True when scored through an emulation (BF16: ONNX Runtime's CPU provider has no BF16 kernels).</param>
/// <param name="ConvertedNodes">Nodes computed in the precision after conversion.</param>
/// <param name="Seconds">Wall time of the conversion and evaluation.</param>
public sealed record PrecisionCheck(TargetPrecision Precision, bool Passed, IReadOnlyList<MetricScore> Scores, string GatedMetric, string? Reason, bool Emulated,
    int ConvertedNodes, double Seconds);

/// <summary>
/// Converts a model to each candidate precision exactly as <see cref="ModelOptimizer"/> does (graph passes, then the
/// full conversion, no mixed-precision fallback) and scores it against the original with ONNX Runtime on this CPU,
/// holding the task metric (the first: top-1 agreement for classifiers, cosine similarity otherwise) to the budget as the
/// optimizer's fallback does — max relative error is reported, not gated, since one outlier element moves it —
/// so that <c>silica compare --precision auto</c> predicts cost only for precisions whose accuracy holds. The fallback
/// is left out on purpose: a partly converted model is not what the cost predictor prices.
/// </summary>
public static class PrecisionGate
{
    /// <summary>The budget when none is given: one point of the metric.</summary>
    public const double DefaultBudget = 0.01;

    /// <summary>
    /// Synthetic samples per set when none are given: enough to catch a broken conversion, few enough that the gate on
    /// ResNet-50 stays well under a minute on two cores. Top-1 agreement then moves in steps of 1/8.
    /// </summary>
    public const int DefaultSyntheticSamples = 8;

    /// <summary>
    /// The precisions worth checking for a model: bf16, fp16, int8 (static), int8-dynamic only where MatMul/Gemm carry the
    /// compute (no convolutions, which it would leave in FP32), and fp8.
    /// </summary>
    public static IReadOnlyList<TargetPrecision> Candidates(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return DynamicApplies(model)
            ? [TargetPrecision.Bf16, TargetPrecision.Fp16, TargetPrecision.Int8, TargetPrecision.Int8Dynamic, TargetPrecision.Fp8]
            : [TargetPrecision.Bf16, TargetPrecision.Fp16, TargetPrecision.Int8, TargetPrecision.Fp8];
    }

    /// <summary>Runs the gate.</summary>
    /// <param name="request">The model, data, budget and precisions.</param>
    /// <param name="progress">Receives a line per stage.</param>
    /// <exception cref="SampleDataException">Given data does not fit the model, or synthetic data cannot be made for it.</exception>
    /// <exception cref="ModelLoadException">ONNX Runtime cannot load the original model.</exception>
    /// <exception cref="InferenceException">The original model fails to run on the evaluation data.</exception>
    public static PrecisionGateResult Run(PrecisionGateRequest request, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!double.IsFinite(request.Budget) || request.Budget is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Budget, "the accuracy budget is a fraction from 0 to 1 (0.01 = one point)");
        }
        var started = Stopwatch.GetTimestamp();
        var original = request.Model;
        var precisions = request.Precisions ?? Candidates(original);
        var notes = new List<string>();
        if (request.Precisions is null && !DynamicApplies(original))
        {
            notes.Add("int8-dynamic not tried: it quantizes only MatMul/Gemm, and this model computes in convolutions (int8 static covers them)");
        }

        var inputs = ModelInputs.Of(original);
        SampleSet? calibration = null;
        if (precisions.Any(p => p.NeedsCalibration()))
        {
            calibration = request.Calibration ?? SyntheticSamples.Create(inputs, request.Bindings, request.SyntheticSamples, request.Seed);
        }
        var evaluation = request.Evaluation ?? request.Calibration
            ?? SyntheticSamples.Create(inputs, request.Bindings, request.SyntheticSamples, request.Seed + 1);
        if (evaluation.Samples.Count == 0 || calibration is { Samples.Count: 0 })
        {
            throw new SampleDataException($"the {(evaluation.Samples.Count == 0 ? "evaluation" : "calibration")} set has no samples");
        }
        if (request.Evaluation is null && request.Calibration is not null)
        {
            notes.Add("no evaluation data given: accuracy was checked on the calibration samples, which the quantizer has seen");
        }
        if (evaluation.IsSynthetic)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"accuracy was checked on {evaluation.Samples.Count} synthetic samples: agreement with the original on random inputs, weaker evidence than real data (pass --calibration/--evaluation)"));
        }
        var metrics = request.Metrics is { Count: > 0 } m ? m : AccuracyGate.DefaultMetrics(original);
        if (metrics[0] is Top1AgreementMetric && 1.0 / evaluation.Samples.Count > request.Budget)
        {
            // Agreement counts whole samples: with few of them a single flip is many points, far above a one-point budget.
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"top-1 agreement moves in steps of {100.0 / evaluation.Samples.Count:0.#} pt on {evaluation.Samples.Count} samples, so one disagreeing sample fails the budget; more samples give a finer gate"));
        }

        progress?.Report("graph passes");
        var passed = OnnxModel.Load(original.ToBytes());
        PassPipeline.Run(passed, PassPipeline.Default);
        var passedBytes = passed.ToBytes();
        progress?.Report("running the original model");
        var reference = ModelEvaluator.Run(original, evaluation);

        var checks = new List<PrecisionCheck>(precisions.Count);
        foreach (var precision in precisions.Distinct())
        {
            progress?.Report($"checking {precision.Name()}");
            checks.Add(Check(original, passedBytes, reference, precision, request, calibration, evaluation, metrics));
        }
        return new PrecisionGateResult(request.Budget, checks, Describe(evaluation), calibration is null ? null : Describe(calibration), notes,
            Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static PrecisionCheck Check(OnnxModel original, byte[] passedBytes, IReadOnlyList<IReadOnlyList<Runtime.Tensors.Tensor>> reference,
        TargetPrecision precision, PrecisionGateRequest request, SampleSet? calibration, SampleSet evaluation, IReadOnlyList<IAccuracyMetric> metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var emulated = precision == TargetPrecision.Bf16;
        double Elapsed() => Stopwatch.GetElapsedTime(started).TotalSeconds;
        try
        {
            var (scored, converted, _) = ModelOptimizer.BuildForGate(original, passedBytes, precision, request.Bindings, calibration, request.CalibrationMethod);
            if (converted == 0)
            {
                return new PrecisionCheck(precision, false, [], metrics[0].Name, $"no operator of this model converts to {precision.Name()}", emulated, 0, Elapsed());
            }
            var report = AccuracyGate.Evaluate(original, reference, scored, evaluation, metrics);
            var gated = report.Scores[0];
            var passed = gated.Drop <= request.Budget;
            return new PrecisionCheck(precision, passed, report.Scores, gated.Metric, passed ? null : OverBudget(gated, request.Budget), emulated, converted, Elapsed());
        }
        catch (Exception e) when (e is ModelLoadException or InferenceException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A precision this machine cannot convert or run is excluded with the reason; the others still count.
            return new PrecisionCheck(precision, false, [], metrics[0].Name, $"could not be converted or run here: {FirstLine(e.Message)}", emulated, 0, Elapsed());
        }
    }

    private static string OverBudget(MetricScore s, double budget) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Metric} {100 * s.Candidate:0.#####}% vs {100 * s.Reference:0.#####}% for fp32: drop {100 * s.Drop:0.#####} pt > budget {100 * budget:0.#####} pt");

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    /// <summary>Dynamic INT8 quantizes MatMul/Gemm only; where convolutions carry the compute it would change little.</summary>
    private static bool DynamicApplies(OnnxModel model) =>
        model.Graph.Nodes.Any(n => n.OpType is "MatMul" or "Gemm") && !model.Graph.Nodes.Any(n => n.OpType is "Conv" or "ConvTranspose");

    private static DataSummary Describe(SampleSet set) => new(set.Source, set.Samples.Count, set.IsSynthetic);
}
