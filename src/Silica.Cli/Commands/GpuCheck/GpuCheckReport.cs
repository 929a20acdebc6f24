using Silica.Runtime.Conformance;

namespace Silica.Cli.Commands.GpuCheck;

/// <summary>Outcome of one (model, precision) check.</summary>
internal enum CheckStatus
{
    Pass,
    Fail,
    Skip,
}

/// <summary>One model in one precision, compared with the FP32 CPU reference.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Precision">Precision label.</param>
/// <param name="Status">Pass, fail or skip.</param>
/// <param name="PeakRelativeError">max |a−b| / max |b| over the worst output; null when not run.</param>
/// <param name="Cosine">Lowest cosine similarity over the outputs; null when not run.</param>
/// <param name="Criterion">The bar applied (<c>rel ≤ 2e-2</c>).</param>
/// <param name="Milliseconds">One run's wall time after a warm-up run; null when not run.</param>
/// <param name="Note">Why it failed or was skipped, or a caveat.</param>
internal sealed record ModelCheck(string Model, string Precision, CheckStatus Status, double? PeakRelativeError, double? Cosine, string Criterion, double? Milliseconds, string? Note);

/// <summary>Everything one gpu-check run found.</summary>
internal sealed record GpuCheckReport(
    string Backend,
    string Device,
    string Reference,
    int Batch,
    int Seq,
    int Seed,
    IReadOnlyList<ModelCheck> Models,
    IReadOnlyList<NodeTestReport> NodeTests)
{
    public bool AllPassed => Models.All(m => m.Status != CheckStatus.Fail) && NodeTests.All(n => n.Failed == 0);
}
