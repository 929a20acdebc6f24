using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;

namespace Silica.Benchmarking.Stopping;

/// <summary>
/// Decides when a run has measured enough: never before the minimum duration and query count, always
/// at the maximum duration, and in between once the last windows are stable (when stability is
/// required). Time comes from a <see cref="TimeProvider"/>, so tests can drive it with a fake clock.
/// </summary>
public sealed class StoppingRule
{
    private readonly RunSettings _settings;
    private readonly TimeProvider _time;
    private long _startTimestamp;

    /// <summary>Creates the rule for a run.</summary>
    /// <param name="settings">The run's minimums, maximum and stability settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public StoppingRule(RunSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Measured time so far (since <see cref="Start"/>).</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    /// <summary>Marks the start of the measured period (the end of warm-up).</summary>
    public void Start() => _startTimestamp = _time.GetTimestamp();

    /// <summary>Marks the start of the measured period at a given timestamp of the rule's clock.</summary>
    /// <param name="timestamp">A timestamp from the same <see cref="TimeProvider"/>.</param>
    public void StartAt(long timestamp) => _startTimestamp = timestamp;

    /// <summary>Whether to stop now, given the queries completed and the windows closed so far.</summary>
    /// <param name="completedQueries">Measured queries completed.</param>
    /// <param name="windows">Closed windows, oldest first.</param>
    /// <returns><see cref="StopReason.None"/> to keep going, or why to stop.</returns>
    public StopReason Evaluate(long completedQueries, IReadOnlyList<WindowResult> windows) => Evaluate(Elapsed, completedQueries, windows);

    /// <summary>Whether to stop after <paramref name="elapsed"/> of measurement.</summary>
    /// <param name="elapsed">Measured time so far.</param>
    /// <param name="completedQueries">Measured queries completed.</param>
    /// <param name="windows">Closed windows, oldest first.</param>
    /// <returns><see cref="StopReason.None"/> to keep going, or why to stop.</returns>
    public StopReason Evaluate(TimeSpan elapsed, long completedQueries, IReadOnlyList<WindowResult> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (elapsed >= _settings.MaxDuration)
        {
            return StopReason.MaxDuration;
        }

        if (elapsed < _settings.MinDuration || completedQueries < _settings.MinQueryCount)
        {
            return StopReason.None;
        }

        if (!_settings.RequireStability)
        {
            return StopReason.MinimumsReached;
        }

        return IsStable(windows) ? StopReason.Stable : StopReason.None;
    }

    /// <summary>
    /// Whether the last <see cref="RunSettings.StabilityWindows"/> windows agree: (max − min) / mean of
    /// their throughput, and for latency scenarios of their p50 latency, is at most the tolerance.
    /// </summary>
    /// <param name="windows">Closed windows, oldest first.</param>
    /// <returns>Whether the run is stable; false with fewer windows than required.</returns>
    public bool IsStable(IReadOnlyList<WindowResult> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var count = _settings.StabilityWindows;
        if (windows.Count < count)
        {
            return false;
        }

        return WithinTolerance(windows, count, static w => w.QueriesPerSecond)
            && (!_settings.IsLatencyScenario || WithinTolerance(windows, count, static w => w.P50Us));
    }

    private bool WithinTolerance(IReadOnlyList<WindowResult> windows, int count, Func<WindowResult, double> figure)
    {
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        for (var i = windows.Count - count; i < windows.Count; i++)
        {
            var value = figure(windows[i]);
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
        }

        var mean = sum / count;
        // An idle window (nothing completed) is never stable: it means the SUT is slower than a window.
        return mean > 0 && min > 0 && (max - min) / mean <= _settings.StabilityTolerance;
    }
}
