using System.Collections.Concurrent;
using System.Diagnostics;
using Silica.Runtime.Batching;
using Silica.Runtime.Generation.KvCache;
using Silica.Runtime.Generation.Sampling;

namespace Silica.Runtime.Generation.Scheduling;

/// <summary>
/// Iteration-level scheduling on one dedicated thread (Orca, OSDI 2022; vLLM): before every step it drops
/// cancelled sequences, admits waiting ones while sequences, tokens and cache blocks allow, plans one token per
/// decoding sequence plus prefill chunks within the token budget, takes cache blocks (preempting the youngest
/// sequence by recompute when the pool runs dry), runs the model, and streams the sampled tokens. With
/// <see cref="GenerationBatching.Static"/> it plays the request-level baseline instead (StepScheduler.Static.cs).
/// </summary>
internal sealed partial class StepScheduler : IDisposable
{
    private readonly DecoderRunner _runner;
    private readonly KvBlockPool _pool;
    private readonly GenerationEngineOptions _options;
    private readonly ITextTokenizer _tokenizer;
    private readonly int _endOfSequence;
    private readonly TokenSampler _sampler = new();
    private readonly ConcurrentQueue<Sequence> _incoming = new();
    private readonly List<Sequence> _waiting = [];
    private readonly List<Sequence> _running = [];
    private readonly List<StepItem> _decode = [];
    private readonly List<StepItem> _prefill = [];
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile Exception? _crash;
    private long _nextOrder;
    private int _waitingCount;
    private int _runningCount;
    private int _peakRunning;
    private long _preempted;
    private long _promptTokens;
    private long _generatedTokens;
    private long _computedTokens;
    private long _paddingTokens;
    private long _steps;

    public StepScheduler(DecoderRunner runner, KvBlockPool pool, ITextTokenizer tokenizer, GenerationEngineOptions options)
    {
        _runner = runner;
        _pool = pool;
        _tokenizer = tokenizer;
        _options = options;
        _endOfSequence = tokenizer.EndOfSequenceId ?? -1;
        _static = options.Batching == GenerationBatching.Static;
        _thread = new Thread(Loop) { IsBackground = true, Name = "silica-generation" };
        _thread.Start();
    }

    public int ContextLength => _runner.Shape.ContextLength;

    public GenerationStats Stats => new(Volatile.Read(ref _runningCount), Volatile.Read(ref _waitingCount), Interlocked.Read(ref _preempted),
        _pool.UsedCount, _pool.BlockCount, Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _generatedTokens))
    {
        ComputedTokensTotal = Interlocked.Read(ref _computedTokens),
        PaddingTokensTotal = Interlocked.Read(ref _paddingTokens),
    };

    /// <summary>The most sequences that were ever running at once.</summary>
    public int PeakRunning => Volatile.Read(ref _peakRunning);

    /// <summary>Model steps run since start.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Queues a validated request (any thread).</summary>
    public Sequence Enqueue(GenerationRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (_crash is { } crash)
        {
            throw new InvalidOperationException($"the generation engine stopped after an internal error: {crash.Message}", crash);
        }
        if (Interlocked.Increment(ref _waitingCount) > _options.MaxWaitingRequests)
        {
            Interlocked.Decrement(ref _waitingCount);
            throw new QueueFullException(_options.MaxWaitingRequests, TimeSpan.FromSeconds(1));
        }
        var seq = new Sequence(Interlocked.Increment(ref _nextOrder), request, _tokenizer);
        if (cancellationToken.CanBeCanceled)
        {
            seq.Registration = cancellationToken.UnsafeRegister(static (state, _) =>
            {
                var (scheduler, sequence) = ((StepScheduler, Sequence))state!;
                scheduler.Cancel(sequence);
            }, (this, seq));
        }
        _incoming.Enqueue(seq);
        _wake.Set();
        if (_stopping)
        {
            // Disposed while this request was being queued: the loop may already have drained for the last time.
            _thread.Join();
            while (_incoming.TryDequeue(out var late))
            {
                Fail(late, new ObjectDisposedException(nameof(GenerationEngine), "the generation engine was disposed"));
            }
        }
        return seq;
    }

    /// <summary>Asks for a sequence to be removed at the next step (any thread).</summary>
    public void Cancel(Sequence seq)
    {
        if (!seq.IsFinished && seq.RequestCancel())
        {
            _wake.Set();
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _wake.Set();
        _thread.Join();
        // _wake stays undisposed: a request racing with Dispose may still Set it (a slim event owns no handle until waited on with one).
    }

    private void Loop()
    {
        try
        {
            while (!_stopping)
            {
                _wake.Reset();
                Drain();
                RemoveCancelled();
                EndStaticBatchIfDone();
                var wait = Admit();
                if (_running.Count == 0)
                {
                    _wake.Wait(wait);
                    continue;
                }
                Step();
            }
        }
        catch (Exception e)
        {
            // A bug in the scheduler itself: fail every request rather than leave them hanging.
            _crash = e;
        }
        var reason = _crash is { } c
            ? new InvalidOperationException($"the generation engine stopped after an internal error: {c.Message}", c)
            : (Exception)new ObjectDisposedException(nameof(GenerationEngine), "the generation engine was disposed");
        Drain();
        foreach (var seq in _running.Concat(_waiting))
        {
            // Static batches' finished rows still hold blocks; Fail frees them (their streams are already complete).
            Fail(seq, reason);
        }
        _running.Clear();
        _waiting.Clear();
        PublishCounts();
    }

    private void Drain()
    {
        while (_incoming.TryDequeue(out var seq))
        {
            InsertByOrder(_waiting, seq);
        }
    }

    private void RemoveCancelled()
    {
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            if (_waiting[i].CancelRequested)
            {
                var seq = _waiting[i];
                _waiting.RemoveAt(i);
                Interlocked.Decrement(ref _waitingCount);
                FinishCancelled(seq);
            }
        }
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            if (_running[i].CancelRequested && !_running[i].IsFinished)
            {
                var seq = _running[i];
                if (!_static)
                {
                    _running.RemoveAt(i);
                }
                // Static: the client's stream ends now, but the row stays in the batch as padding until the batch ends.
                FinishCancelled(seq);
            }
        }
        PublishCounts();
    }

    // Admits waiting sequences in arrival order; returns how long to sleep when nothing runs (static batching
    // waiting for its batch to fill), or infinite.
    private TimeSpan Admit()
    {
        if (_options.Batching == GenerationBatching.Static)
        {
            if (_running.Count > 0 || _waiting.Count == 0)
            {
                return Timeout.InfiniteTimeSpan;
            }
            var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - _waiting[0].Arrived);
            if (_waiting.Count < _options.MaxRunningSequences && waited < _options.StaticBatchWait)
            {
                return _options.StaticBatchWait - waited;
            }
        }
        while (_waiting.Count > 0 && _running.Count < _options.MaxRunningSequences)
        {
            var seq = _waiting[0];
            if (_running.Count > 0 && !HasRoomFor(seq))
            {
                break;
            }
            _waiting.RemoveAt(0);
            Interlocked.Decrement(ref _waitingCount);
            if (_options.ReserveMaxLength && !seq.Blocks.TryReserve(_pool, ContextLength))
            {
                throw new UnreachableException("admission checked the pool holds a full context");
            }
            InsertByOrder(_running, seq);
        }
        PublishCounts();
        return Timeout.InfiniteTimeSpan;
    }

    // Paged: the pool, less what running prefills will still take, must hold this sequence's tokens (decode growth
    // is left to preemption, as in vLLM). Reserved: a whole context length must be free.
    private bool HasRoomFor(Sequence seq)
    {
        if (_options.ReserveMaxLength)
        {
            return _pool.FreeCount >= _pool.BlocksForTokens(ContextLength);
        }
        var outstanding = 0;
        foreach (var s in _running)
        {
            outstanding += Math.Max(0, _pool.BlocksForTokens(s.Tokens.Count) - s.Blocks.Count);
        }
        return _pool.FreeCount - outstanding >= _pool.BlocksForTokens(seq.Tokens.Count);
    }

    private void Step()
    {
        if (_static)
        {
            StaticStep();
            return;
        }
        Plan();
        ReserveBlocks();
        _decode.Clear();
        _prefill.Clear();
        foreach (var seq in _running)
        {
            if (seq.Planned > 0)
            {
                (seq.Planned == 1 ? _decode : _prefill).Add(new StepItem(seq, seq.Planned));
            }
        }
        // Two calls when both kinds run: the model takes one new-token length per call, and padding every decode
        // row to a prefill chunk would multiply its cost.
        RunGroup(_decode);
        RunGroup(_prefill);
        Interlocked.Increment(ref _steps);
        _running.RemoveAll(s => s.IsFinished);
        PublishCounts();
    }

    // One token per decoding sequence first (so decoding never stalls), then prefill chunks, oldest first, within
    // the step's token budget.
    private void Plan()
    {
        var budget = _options.MaxBatchedTokens;
        foreach (var seq in _running)
        {
            seq.Planned = 0;
            if (seq.Pending == 1 && budget > 0)
            {
                seq.Planned = 1;
                budget--;
            }
        }
        foreach (var seq in _running)
        {
            if (seq.Pending > 1 && budget > 0)
            {
                seq.Planned = Math.Min(Math.Min(seq.Pending, _options.PrefillChunkTokens), budget);
                budget -= seq.Planned;
            }
        }
    }

    // Oldest first; when the pool runs dry, preempt the youngest running sequence (possibly the one asking).
    private void ReserveBlocks()
    {
        for (var i = 0; i < _running.Count; i++)
        {
            var seq = _running[i];
            if (seq.Planned == 0)
            {
                continue;
            }
            while (!seq.Blocks.TryReserve(_pool, seq.Cached + seq.Planned))
            {
                // A static batch's finished rows are padding, never requeued: the youngest live row goes instead.
                var victim = _running.FindLast(s => !s.IsFinished)!;
                Preempt(victim);
                if (victim == seq)
                {
                    break;
                }
            }
        }
    }

    // Recompute preemption: free the blocks and requeue; on return the prompt and the output so far are prefilled again.
    private void Preempt(Sequence seq)
    {
        seq.Blocks.Release(_pool);
        seq.Cached = 0;
        seq.Planned = 0;
        _running.Remove(seq);
        InsertByOrder(_waiting, seq);
        Interlocked.Increment(ref _waitingCount);
        Interlocked.Increment(ref _preempted);
    }

    // Running counts live sequences: a static batch's padding rows occupy a slot but serve nobody.
    private void PublishCounts()
    {
        var live = _static ? _running.Count(s => !s.IsFinished) : _running.Count;
        Volatile.Write(ref _runningCount, live);
        if (live > _peakRunning)
        {
            Volatile.Write(ref _peakRunning, live);
        }
    }

    private static void InsertByOrder(List<Sequence> list, Sequence seq)
    {
        var i = list.Count;
        while (i > 0 && list[i - 1].Order > seq.Order)
        {
            i--;
        }
        list.Insert(i, seq);
    }
}
