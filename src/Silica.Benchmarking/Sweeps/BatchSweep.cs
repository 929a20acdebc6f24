using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Sweeps;

/// <summary>
/// Measures a scenario at each of a list of batch sizes and collects the <see cref="BatchLatencyCurve"/>
/// (batch → latency percentiles and throughput) that the predictor calibrates against.
/// </summary>
public static class BatchSweep
{
    /// <summary>Runs <paramref name="settings"/> once per batch size, with a fresh SUT from <paramref name="createSut"/> each time.</summary>
    /// <param name="batchSizes">Batch sizes to measure, in order; each becomes <see cref="RunSettings.SamplesPerQuery"/>.</param>
    /// <param name="createSut">Creates the SUT for a batch size (for example a session bound to that shape); disposed after its run if disposable.</param>
    /// <param name="settings">Scenario and stopping rules shared by every point.</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <returns>The curve and the full result of every point, in the order of <paramref name="batchSizes"/>.</returns>
    public static async Task<(BatchLatencyCurve Curve, IReadOnlyList<BenchmarkResult> Results)> RunAsync(
        IReadOnlyList<int> batchSizes,
        Func<int, ISystemUnderTest> createSut,
        RunSettings settings,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentNullException.ThrowIfNull(createSut);
        ArgumentNullException.ThrowIfNull(settings);
        if (batchSizes.Count == 0 || batchSizes.Any(b => b < 1))
        {
            throw new ArgumentException("Batch sizes must be a non-empty list of positive numbers.", nameof(batchSizes));
        }

        var startTime = DateTimeOffset.UtcNow;
        var points = new List<BatchLatencyPoint>(batchSizes.Count);
        var results = new List<BenchmarkResult>(batchSizes.Count);
        foreach (var batch in batchSizes)
        {
            var sut = createSut(batch);
            try
            {
                var result = await LoadGenerator.RunAsync(sut, settings with { SamplesPerQuery = batch }, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                points.Add(BatchLatencyPoint.From(batch, result));
            }
            finally
            {
                await DisposeAsync(sut).ConfigureAwait(false);
            }
        }

        var curve = new BatchLatencyCurve { Scenario = settings.Scenario, StartTimeUtc = startTime, Points = points };
        return (curve, results);
    }

    private static ValueTask DisposeAsync(ISystemUnderTest sut)
    {
        switch (sut)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                return ValueTask.CompletedTask;
            default:
                return ValueTask.CompletedTask;
        }
    }
}
