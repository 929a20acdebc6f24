using Silica.Optimization.Accuracy;
using Silica.Optimization.Passes;

namespace Silica.Optimization.Optimizer;

/// <summary>Everything <see cref="ModelOptimizer"/> did and measured, for the summary and <c>--json</c>.</summary>
public sealed record OptimizeResult
{
    /// <summary>The model as the user named it.</summary>
    public required string Model { get; init; }

    /// <summary>The target precision.</summary>
    public required TargetPrecision Precision { get; init; }

    /// <summary>Where the optimized model was written.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Serialized size of the original model.</summary>
    public required long BytesBefore { get; init; }

    /// <summary>Serialized size of the optimized model.</summary>
    public required long BytesAfter { get; init; }

    /// <summary>What each graph pass changed, in order.</summary>
    public required IReadOnlyList<PassReport> Passes { get; init; }

    /// <summary>Nodes now computed in the target precision, counted by operator, with how (e.g. "QDQ int8, per-channel weights").</summary>
    public required IReadOnlyList<ConvertedOps> Converted { get; init; }

    /// <summary>Nodes left in their original precision, each with the reason.</summary>
    public required IReadOnlyList<NodeDecision> Kept { get; init; }

    /// <summary>The calibration data used, or null when the precision needs none.</summary>
    public DataSummary? Calibration { get; init; }

    /// <summary>The accuracy of the written model against the original, or null when it was not evaluated.</summary>
    public AccuracySummary? Accuracy { get; init; }

    /// <summary>The measured speed-up on this CPU, or null (see <see cref="SpeedNotMeasured"/>).</summary>
    public SpeedComparison? Speed { get; init; }

    /// <summary>Why speed was not measured, when it was not.</summary>
    public string? SpeedNotMeasured { get; init; }

    /// <summary>Facts a reader must know: synthetic data, emulated accuracy, warnings.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Optimized size over original size (0.5 = half the bytes).</summary>
    public double SizeRatio => BytesBefore > 0 ? (double)BytesAfter / BytesBefore : double.NaN;
}

/// <summary>Nodes of one operator type converted in one form.</summary>
/// <param name="OpType">The operator.</param>
/// <param name="Count">How many nodes.</param>
/// <param name="Form">How they now run (<c>float16</c>, <c>QDQ int8 (per-channel weights)</c>).</param>
public sealed record ConvertedOps(string OpType, int Count, string Form);

/// <summary>A node left in its original precision.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="OpType">Its operator.</param>
/// <param name="Detail">Why it was kept.</param>
public sealed record NodeDecision(string Node, string OpType, string Detail);

/// <summary>Where samples came from.</summary>
/// <param name="Source">A folder, or a description of generated data.</param>
/// <param name="Samples">How many samples.</param>
/// <param name="IsSynthetic">True for generated samples (weaker evidence).</param>
public sealed record DataSummary(string Source, int Samples, bool IsSynthetic);

/// <summary>The accuracy gate's result for the written model.</summary>
/// <param name="Scores">Each metric, reference vs candidate.</param>
/// <param name="Data">The evaluation data.</param>
/// <param name="Budget">The allowed drop (absolute fraction), when one was set.</param>
/// <param name="MeetsBudget">Whether every metric's drop is within the budget (null without a budget).</param>
/// <param name="Emulated">True when the candidate was evaluated through an emulation (BF16 on a CPU without BF16 kernels).</param>
public sealed record AccuracySummary(IReadOnlyList<MetricScore> Scores, DataSummary Data, double? Budget, bool? MeetsBudget, bool Emulated);
