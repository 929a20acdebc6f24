using Silica.Benchmarking.Results;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Scenarios;

/// <summary>
/// Drives a system under test through a scenario (MLPerf LoadGen semantics) and measures it: latency
/// from the scheduled issue time into a histogram, throughput, per-window figures, and the stopping
/// rules of <see cref="RunSettings"/>.
/// </summary>
/// <example>
/// <code>
/// using var sut = new SynchronousSystemUnderTest(batch =&gt; session.Run(batch), workerCount: 2);
/// var result = await LoadGenerator.RunAsync(sut, new RunSettings { Scenario = Scenario.Server, TargetQps = 500, TargetLatency = TimeSpan.FromMilliseconds(20) });
/// Console.WriteLine($"{result.Throughput.QueriesPerSecond:F0} QPS, p99 {result.Latency.P99Us:F0} µs, bound met: {result.LatencyBoundMet}");
/// </code>
/// </example>
public static class LoadGenerator
{
    /// <summary>Runs the scenario on a dedicated issue thread and completes when the run and its drain are over.</summary>
    /// <param name="sut">The system under test.</param>
    /// <param name="settings">Scenario, load, warm-up and stopping rules.</param>
    /// <param name="cancellationToken">Stops issuing; the task is then cancelled after outstanding queries drain.</param>
    /// <returns>The result; <see cref="BenchmarkResult.Environment"/> is left for the caller to fill.</returns>
    public static Task<BenchmarkResult> RunAsync(ISystemUnderTest sut, RunSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sut);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var completion = new TaskCompletionSource<BenchmarkResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = new LoadRun(sut, settings, cancellationToken);
        // A dedicated thread, not the thread pool: the issue loop spins and sleeps precisely and must
        // not wait behind (or starve) pool work such as the SUT's own continuations.
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(run.Execute());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                completion.SetCanceled(cancellationToken);
            }
#pragma warning disable CA1031 // Surfaced to the awaiting caller.
            catch (Exception error)
#pragma warning restore CA1031
            {
                completion.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "silica-loadgen-issue",
        };
        thread.Start();
        return completion.Task;
    }

    /// <summary>Runs the scenario with the calling thread as the issue thread.</summary>
    /// <param name="sut">The system under test.</param>
    /// <param name="settings">Scenario, load, warm-up and stopping rules.</param>
    /// <param name="cancellationToken">Stops issuing; throws after outstanding queries drain.</param>
    /// <returns>The result; <see cref="BenchmarkResult.Environment"/> is left for the caller to fill.</returns>
    public static BenchmarkResult Run(ISystemUnderTest sut, RunSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sut);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return new LoadRun(sut, settings, cancellationToken).Execute();
    }
}
