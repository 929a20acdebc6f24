namespace Silica.Prediction.Serving;

/// <summary>
/// One exact event-driven run of the batcher: the clock jumps from event to event (an arrival, a server
/// finishing its batch, the head of the queue reaching its batching deadline) and never steps. It mirrors
/// Silica.Runtime's <c>DynamicBatcher.TryTakeBatch</c>: at every event each free server looks at the queue
/// head, takes the longest FIFO prefix that fits, and runs it if it is full or the head has waited the
/// maximum delay; otherwise the servers wait for the head's deadline or for more arrivals.
/// </summary>
internal sealed class BatcherSimulation
{
    private readonly BatcherPolicy _policy;
    private readonly IServiceTimeModel _service;
    private readonly Random _serviceRandom;
    private readonly double[] _arrival;
    private readonly double[] _completion;
    private readonly int[] _queue;
    private readonly int[] _paddedRows;
    private readonly PriorityQueue<int, double> _busyUntil = new();
    private readonly int _warmup;
    private readonly double _delay;
    private readonly double _timeout;
    private readonly RequestOverhead _overhead;
    private readonly int _perBatch;
    private readonly int _target;
    private readonly double _windowStart;
    private readonly double _windowEnd;
    private int _queueHead;
    private int _queueTail;
    private int _freeServers;
    private double _deadline = double.PositiveInfinity;
    private double _busySeconds;
    private long _measuredBatches;
    private long _measuredBatchRows;
    private int _queuedAtWindowStart;
    private int _queuedAtWindowEnd;

    public BatcherSimulation(BatcherPolicy policy, IServiceTimeModel service, double arrivalQps, SimulationOptions options)
    {
        _policy = policy;
        _service = service;
        _warmup = options.WarmupRequests;
        var total = options.WarmupRequests + options.Requests;
        _arrival = new double[total];
        _completion = new double[total];
        _queue = new int[total];
        // Two streams, so the arrival times at a given seed are the same at every rate (scaled by 1/rate) and do
        // not shift when the number of batches, and so of service draws, changes: common random numbers.
        var arrivals = new Random(options.Seed);
        _serviceRandom = new Random(unchecked((options.Seed * 7919) + 104729));
        var t = 0.0;
        for (var i = 0; i < total; i++)
        {
            t += -Math.Log(1.0 - arrivals.NextDouble()) / arrivalQps;
            _arrival[i] = t;
        }
        if (options.CountWindow is { } window)
        {
            ConditionOnCounts(_arrival, arrivalQps, window.TotalSeconds);
        }
        _delay = policy.MaxQueueDelay.TotalSeconds;
        _overhead = options.Overhead;
        _timeout = policy.QueueTimeout == Timeout.InfiniteTimeSpan ? double.PositiveInfinity : policy.QueueTimeout.TotalSeconds;
        // Every request has the same rows, so a batch is a count of requests and the prefix scan is a division.
        _perBatch = policy.MaxBatchSize / policy.RowsPerRequest;
        _target = policy.TargetRows;
        _paddedRows = new int[_perBatch + 1];
        for (var n = 1; n <= _perBatch; n++)
        {
            _paddedRows[n] = policy.PaddedSize(n * policy.RowsPerRequest);
        }
        _freeServers = policy.Servers;
        _windowStart = _arrival[Math.Min(_warmup, total - 1)];
        _windowEnd = _arrival[total - 1];
    }

    /// <summary>
    /// Rescales the arrivals so that exactly round(rate × k·window) fall before each k·window; within a window they stay
    /// uniform order statistics, i.e. a Poisson process conditioned on those counts (the load generator's schedule).
    /// </summary>
    internal static void ConditionOnCounts(double[] arrivals, double rate, double window)
    {
        var fromIndex = -1;
        var fromTime = 0.0;
        var fromOld = 0.0;
        for (var k = 1; ; k++)
        {
            var t = k * window;
            var index = (int)Math.Round(rate * t) - 1;
            if (index >= arrivals.Length)
            {
                break;
            }
            if (index <= fromIndex)
            {
                continue;
            }
            var oldEnd = arrivals[index];
            var scale = (t - fromTime) / (oldEnd - fromOld);
            for (var i = fromIndex + 1; i <= index; i++)
            {
                arrivals[i] = fromTime + ((arrivals[i] - fromOld) * scale);
            }
            fromIndex = index;
            fromTime = t;
            fromOld = oldEnd;
        }
        // Arrivals after the last full window keep their gaps.
        for (var i = fromIndex + 1; i < arrivals.Length; i++)
        {
            arrivals[i] += fromTime - fromOld;
        }
    }

    public SimulationResult Run(double arrivalQps)
    {
        var next = 0;
        while (true)
        {
            var arrival = next < _arrival.Length ? _arrival[next] : double.PositiveInfinity;
            var done = _busyUntil.TryPeek(out _, out var finish) ? finish : double.PositiveInfinity;
            var now = Math.Min(Math.Min(arrival, done), _deadline);
            if (double.IsPositiveInfinity(now))
            {
                break;
            }
            if (done <= now)
            {
                _busyUntil.Dequeue();
                _freeServers++;
            }
            else if (arrival <= now)
            {
                Arrive(next++, now);
            }
            // Otherwise the head reached its deadline; dispatching below runs it.
            Dispatch(now);
        }
        return Summarize(arrivalQps);
    }

    private int Queued => _queueTail - _queueHead;

    private void Arrive(int request, double now)
    {
        Expire(now);
        if (request == _warmup)
        {
            _queuedAtWindowStart = Queued;
        }
        if (Queued >= _policy.MaxQueueSize)
        {
            _completion[request] = double.NaN; // rejected: the queue is full
        }
        else
        {
            _queue[_queueTail++] = request;
        }
        if (request == _arrival.Length - 1)
        {
            _queuedAtWindowEnd = Queued;
        }
    }

    /// <summary>Rejects queued requests whose age reached the timeout (FIFO: they form a prefix).</summary>
    private void Expire(double now)
    {
        while (Queued > 0 && now >= _arrival[_queue[_queueHead]] + _timeout)
        {
            _completion[_queue[_queueHead++]] = double.NaN;
        }
    }

    private void Dispatch(double now)
    {
        _deadline = double.PositiveInfinity;
        while (_freeServers > 0)
        {
            Expire(now);
            if (Queued == 0)
            {
                return;
            }
            var count = Math.Min(Queued, _perBatch);
            var rows = count * _policy.RowsPerRequest;
            var full = Queued > count || rows >= _target;
            var head = _queue[_queueHead];
            // Same expression as the deadline below, so the deadline event compares equal and dispatches.
            var due = _arrival[head] + _delay;
            if (!full && now < due)
            {
                _deadline = due;
                return;
            }
            var seconds = _service.Sample(_paddedRows[count], _serviceRandom);
            var end = now + seconds;
            for (var i = 0; i < count; i++)
            {
                _completion[_queue[_queueHead++]] = end;
            }
            _freeServers--;
            _busyUntil.Enqueue(0, end);
            _busySeconds += Math.Max(0, Math.Min(end, _windowEnd) - Math.Max(now, _windowStart));
            if (head >= _warmup)
            {
                _measuredBatches++;
                _measuredBatchRows += rows;
            }
        }
    }

    private SimulationResult Summarize(double arrivalQps)
    {
        var measured = _arrival.Length - _warmup;
        var latencies = new double[measured];
        var completed = 0;
        var sum = 0.0;
        var lastCompletion = _windowStart;
        for (var i = _warmup; i < _arrival.Length; i++)
        {
            var c = _completion[i];
            if (double.IsNaN(c))
            {
                continue;
            }
            var latency = c - _arrival[i];
            latencies[completed++] = latency;
            sum += latency;
            lastCompletion = Math.Max(lastCompletion, c);
        }
        Array.Sort(latencies, 0, completed);
        if (!_overhead.IsZero)
        {
            // Comonotone: the k-th fastest request gets the overhead at its own percentile.
            sum = 0;
            for (var k = 0; k < completed; k++)
            {
                latencies[k] += _overhead.At((k + 0.5) / completed);
                sum += latencies[k];
            }
            Array.Sort(latencies, 0, completed);
        }
        var span = _windowEnd - _windowStart;
        var utilization = span > 0 ? _busySeconds / (_policy.Servers * span) : 0;
        // A stable queue fluctuates around a level; a queue that keeps growing over the measured requests means the
        // servers cannot keep up even where utilization reads below the threshold (long batches, a short run).
        var growth = _queuedAtWindowEnd - _queuedAtWindowStart;
        var saturated = utilization >= 0.98 || growth > Math.Max(100, measured / 20);
        var served = lastCompletion - _windowStart;
        return new SimulationResult(
            arrivalQps,
            Percentile(latencies, completed, 0.50),
            Percentile(latencies, completed, 0.90),
            Percentile(latencies, completed, 0.99),
            completed > 0 ? sum / completed : double.PositiveInfinity,
            _measuredBatches > 0 ? (double)_measuredBatchRows / _measuredBatches : 0,
            utilization,
            served > 0 ? completed / served : 0,
            (double)(measured - completed) / measured,
            saturated);
    }

    /// <summary>Nearest-rank percentile of the first <paramref name="count"/> sorted values; infinite when there are none.</summary>
    private static double Percentile(double[] sorted, int count, double q) =>
        count == 0 ? double.PositiveInfinity : sorted[Math.Clamp((int)Math.Ceiling(q * count) - 1, 0, count - 1)];
}
