namespace Silica.Advisor.Results;

/// <summary>
/// How <c>silica compare --precision auto</c> chose the precisions in the cost table: each candidate was converted and
/// its accuracy measured against the FP32 model on this machine's CPU (ONNX Runtime); only those within the budget were
/// predicted on the targets. Accuracy is measured here; cost and latency stay predicted per target.
/// </summary>
public sealed record AccuracyScreen
{
    /// <summary>The largest drop allowed per metric, in percentage points.</summary>
    public required double BudgetPoints { get; init; }

    /// <summary>Where and how accuracy was measured, in words, as opposed to the predicted cost and latency.</summary>
    public required string Basis { get; init; }

    /// <summary>The data accuracy was measured on.</summary>
    public required ScreenData Evaluation { get; init; }

    /// <summary>The data INT8 static and FP8 were calibrated on; null when no checked precision needed any.</summary>
    public ScreenData? Calibration { get; init; }

    /// <summary>Every precision, FP32 (the reference, always admitted) first, with what was measured and the verdict.</summary>
    public required IReadOnlyList<PrecisionAccuracy> Precisions { get; init; }

    /// <summary>Precisions the gate rejected, with the reason; they are not in the cost table.</summary>
    public IReadOnlyList<ExcludedPrecision> Excluded { get; init; } = [];

    /// <summary>Wall time of the conversions and accuracy runs, seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Caveats: synthetic data, precisions not tried and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Samples used by the accuracy screen.</summary>
/// <param name="Source">A folder or a description of generated data.</param>
/// <param name="Samples">How many samples.</param>
/// <param name="Synthetic">True for generated samples: agreement on random inputs, weaker evidence than real data.</param>
public sealed record ScreenData(string Source, int Samples, bool Synthetic);

/// <summary>One precision's accuracy check.</summary>
/// <param name="Precision">As converted: <c>fp32</c>, <c>bf16</c>, <c>fp16</c>, <c>int8</c> (static), <c>int8-dynamic</c>, <c>fp8</c>.</param>
/// <param name="TableFormat">The cost-table format it stands for (<c>int8-dynamic</c> is priced as <c>int8</c>).</param>
/// <param name="Passed">True when the gated metric's drop is within the budget (FP32 always).</param>
/// <param name="Metrics">What was measured; empty for FP32 and for a precision that could not be converted or run.</param>
/// <param name="Reason">Why it failed; null when it passed.</param>
/// <param name="Samples">Evaluation samples.</param>
/// <param name="DataSource">Where they came from.</param>
/// <param name="Emulated">True when measured through an emulation (BF16 on a CPU without BF16 kernels).</param>
/// <param name="Seconds">Conversion and evaluation time, seconds.</param>
public sealed record PrecisionAccuracy(string Precision, string TableFormat, bool Passed, IReadOnlyList<AccuracyValue> Metrics, string? Reason,
    int Samples, string DataSource, bool Emulated, double Seconds);

/// <summary>A metric of the converted model against the FP32 original.</summary>
/// <param name="Metric">E.g. <c>top-1 agreement</c>, <c>cosine similarity</c>.</param>
/// <param name="ReferencePercent">The FP32 model's score, % (100 for agreement metrics).</param>
/// <param name="ValuePercent">The converted model's score, %.</param>
/// <param name="DropPoints">The loss, percentage points.</param>
/// <param name="WithinBudget">True when the drop is within the budget.</param>
/// <param name="Gated">True for the metric held to the budget (the task metric); the others are reported only.</param>
public sealed record AccuracyValue(string Metric, double ReferencePercent, double ValuePercent, double DropPoints, bool WithinBudget, bool Gated);

/// <summary>A precision kept out of the cost table.</summary>
/// <param name="Precision">The precision as converted.</param>
/// <param name="Reason">The metric over budget, or why it could not be checked.</param>
public sealed record ExcludedPrecision(string Precision, string Reason);
