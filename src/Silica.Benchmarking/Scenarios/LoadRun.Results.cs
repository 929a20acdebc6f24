using Silica.Benchmarking.Histograms;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Stopping;

namespace Silica.Benchmarking.Scenarios;

internal sealed partial class LoadRun
{
    private BenchmarkResult BuildResult(DateTimeOffset startTime, StopReason reason)
    {
        var completed = CompletedQueries;
        var samples = CompletedSamples;
        var end = completed > 0 ? Math.Max(_shared.LastCompletion, _inline.LastCompletion) : _measurementStart;
        var seconds = _measuring ? Math.Max(Ticks.ToSeconds(end - _measurementStart), 0) : 0;
        var issueSeconds = Ticks.ToSeconds(_lastIssue - _firstIssue);
        var histogram = new LatencyHistogram();
        histogram.Add(_shared.Latency);
        histogram.Add(_inline.Latency);
        var latency = histogram.Summarize();

        double? targetUs = null;
        bool? boundMet = null;
        if (_settings.Scenario == Scenario.Server && _settings.TargetLatency is { } target)
        {
            targetUs = target.TotalMicroseconds;
            // No completed query proves nothing about the bound, so an empty run does not meet it.
            boundMet = completed > 0 && histogram.GetValueAtPercentile(_settings.TargetLatencyPercentile) / 1000.0 <= targetUs;
        }

        return new BenchmarkResult
        {
            Scenario = _settings.Scenario,
            Settings = _settings,
            StartTimeUtc = startTime,
            Duration = TimeSpan.FromSeconds(seconds),
            Counts = new QueryCounts
            {
                Issued = _issued,
                Completed = completed,
                Failed = _shared.Failed + _inline.Failed,
                CompletedSamples = samples,
            },
            Throughput = new Throughput
            {
                QueriesPerSecond = seconds > 0 ? completed / seconds : 0,
                SamplesPerSecond = seconds > 0 ? samples / seconds : 0,
                IssuedQueriesPerSecond = issueSeconds > 0 ? (_issued - 1) / issueSeconds : 0,
            },
            Latency = latency,
            TargetLatencyUs = targetUs,
            LatencyBoundMet = boundMet,
            StabilityReached = _stoppingRule.IsStable(_windows.Windows),
            StopReason = reason,
            Windows = [.. _windows.Windows],
            Harness = new HarnessDiagnostics
            {
                IssueBusyNsPerQuery = _nextQueryId > 0 ? Ticks.ToNanoseconds(_busyTicks) / (double)_nextQueryId : 0,
                IssueLagP50Us = _issueLag.GetValueAtPercentile(50) / 1000.0,
                IssueLagP99Us = _issueLag.GetValueAtPercentile(99) / 1000.0,
                IssueLagMaxUs = _issueLag.MaxNanoseconds / 1000.0,
                AllocatedBytesPerQuery = _issued > 0 ? (_allocatedAtStop - _allocatedAtStart) / (double)_issued : 0,
            },
        };
    }
}
