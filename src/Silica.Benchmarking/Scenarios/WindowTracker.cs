using Silica.Benchmarking.Histograms;
using Silica.Benchmarking.Results;

namespace Silica.Benchmarking.Scenarios;

/// <summary>
/// Cuts the measurement into windows without a second histogram on the hot path: at each window close
/// it snapshots the cumulative histogram's counts, and the difference from the previous snapshot is the
/// window's latency distribution. Runs on the issue thread only; allocates one record per window.
/// </summary>
internal sealed class WindowTracker
{
    private readonly LatencyHistogram[] _histograms;
    private long[] _previous = new long[LatencyHistogram.BucketCount];
    private long[] _current = new long[LatencyHistogram.BucketCount];
    private readonly long[] _window = new long[LatencyHistogram.BucketCount];
    private readonly List<WindowResult> _windows = [];
    private long _measurementStart;
    private long _lastClose;
    private long _lastCompleted;
    private long _lastSamples;

    public WindowTracker(params LatencyHistogram[] histograms) => _histograms = histograms;

    public IReadOnlyList<WindowResult> Windows => _windows;

    public void Start(long timestamp)
    {
        _measurementStart = timestamp;
        _lastClose = timestamp;
        Snapshot(_previous);
    }

    public void Close(long timestamp, long completedQueries, long completedSamples)
    {
        Snapshot(_current);
        long total = 0;
        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = _current[i] - _previous[i];
            total += _window[i];
        }

        // Actual, not nominal, window length: the issue thread may close a window a little late.
        var seconds = Ticks.ToSeconds(timestamp - _lastClose);
        var queries = completedQueries - _lastCompleted;
        _windows.Add(new WindowResult
        {
            StartSeconds = Ticks.ToSeconds(_lastClose - _measurementStart),
            DurationSeconds = seconds,
            CompletedQueries = queries,
            QueriesPerSecond = seconds > 0 ? queries / seconds : 0,
            SamplesPerSecond = seconds > 0 ? (completedSamples - _lastSamples) / seconds : 0,
            P50Us = LatencyHistogram.ValueAtPercentile(_window, total, 50) / 1000.0,
            P99Us = LatencyHistogram.ValueAtPercentile(_window, total, 99) / 1000.0,
        });

        (_previous, _current) = (_current, _previous);
        _lastClose = timestamp;
        _lastCompleted = completedQueries;
        _lastSamples = completedSamples;
    }

    /// <summary>The summed counts of every histogram (one per writer thread group).</summary>
    private void Snapshot(long[] destination)
    {
        Array.Clear(destination);
        foreach (var histogram in _histograms)
        {
            histogram.AddCountsTo(destination);
        }
    }
}
