using Silica.Runtime.Backends;

namespace Silica.Runtime.Conformance;

/// <summary>The outcome of one node test.</summary>
public enum NodeTestOutcome
{
    /// <summary>Every output matched within tolerance.</summary>
    Passed,
    /// <summary>An output differed, had the wrong shape, or the run threw.</summary>
    Failed,
    /// <summary>The backend does not implement the model (it said so, or refused to load it).</summary>
    Skipped,
}

/// <summary>One node test's result.</summary>
/// <param name="Name">The test folder name (<c>test_add_bcast</c>).</param>
/// <param name="OpType">The operator under test.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Comparison">The worst comparison over outputs and data sets; null when nothing was compared.</param>
/// <param name="Reason">Why it failed or was skipped; null when it passed.</param>
public sealed record NodeTestResult(string Name, string OpType, NodeTestOutcome Outcome, TensorComparison? Comparison, string? Reason)
{
    /// <summary>Largest absolute error, or 0 when nothing was compared.</summary>
    public double MaxAbsoluteError => Comparison?.MaxAbsoluteError ?? 0;

    /// <summary>Largest element-wise relative error, or 0 when nothing was compared.</summary>
    public double MaxRelativeError => Comparison?.MaxRelativeError ?? 0;
}

/// <summary>How many tests of one operator passed, failed and were skipped.</summary>
/// <param name="OpType">The operator.</param>
/// <param name="Passed">Tests passed.</param>
/// <param name="Failed">Tests failed.</param>
/// <param name="Skipped">Tests skipped (not implemented by the backend).</param>
public sealed record OpCoverage(string OpType, int Passed, int Failed, int Skipped)
{
    /// <summary>All tests of the operator.</summary>
    public int Total => Passed + Failed + Skipped;
}

/// <summary>The results of a <see cref="NodeTestRunner.Run"/>.</summary>
/// <param name="Backend">The backend's name.</param>
/// <param name="Precision">The compute precision requested.</param>
/// <param name="AllowTf32">Whether TF32 was allowed.</param>
/// <param name="Tolerances">The tolerances applied.</param>
/// <param name="Results">One result per test, in name order.</param>
public sealed record NodeTestReport(string Backend, Precision Precision, bool AllowTf32, NodeTestTolerances Tolerances, IReadOnlyList<NodeTestResult> Results)
{
    /// <summary>Tests that passed.</summary>
    public int Passed => Results.Count(r => r.Outcome == NodeTestOutcome.Passed);

    /// <summary>Tests that failed.</summary>
    public int Failed => Results.Count(r => r.Outcome == NodeTestOutcome.Failed);

    /// <summary>Tests skipped as not implemented.</summary>
    public int Skipped => Results.Count(r => r.Outcome == NodeTestOutcome.Skipped);

    /// <summary>Per-operator counts, by operator name.</summary>
    public IReadOnlyList<OpCoverage> Coverage =>
    [
        .. Results.GroupBy(r => r.OpType, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new OpCoverage(
                g.Key,
                g.Count(r => r.Outcome == NodeTestOutcome.Passed),
                g.Count(r => r.Outcome == NodeTestOutcome.Failed),
                g.Count(r => r.Outcome == NodeTestOutcome.Skipped))),
    ];
}
