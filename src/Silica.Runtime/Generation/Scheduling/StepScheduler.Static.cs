using Silica.Runtime.Generation.KvCache;

namespace Silica.Runtime.Generation.Scheduling;

/// <summary>
/// Request-level static batching, the baseline continuous batching is measured against: the batch is one
/// fixed-shape tensor, as in Hugging Face <c>generate</c> on a batch, FasterTransformer, and the baseline of the Orca
/// paper (OSDI 2022). Such systems left-pad every prompt to the batch's longest and prefill the padded length
/// for every row, then decode every row each iteration until the longest sequence finishes; a row that has finished
/// keeps producing pad tokens that are thrown away, and its cache is freed only when the batch ends.
/// </summary>
/// <remarks>
/// The real rows compute exactly what they would alone (their greedy output stays identical); the padding is paid
/// as discarded work of the same shape instead of pad tokens inside a row. While any row still has prompt to
/// prefill, every step is one prefill call of all the batch's rows: rows with prompt left run their next chunk,
/// the others (prompt done, or finished) ride along as padding rows — so prefill computes rows × the longest prompt,
/// as a left-padded batch does. Then every step is one decode call of all rows, the finished ones as padding rows.
/// Finished or cancelled rows end their client's stream at once (streaming is kept, unlike FasterTransformer, which
/// returns results when the batch ends; tokens/s is unaffected) but keep their blocks until the batch ends.
/// Padding positions store no keys and values in the pool, though a fixed-shape system would hold them: that only
/// matters when the pool runs dry mid-batch (preemption), which a benchmark's cache should be sized to avoid.
/// </remarks>
internal sealed partial class StepScheduler
{
    private readonly bool _static;

    private void StaticStep()
    {
        PlanStatic();
        ReserveBlocks(); // may preempt live rows, which leave the batch
        _prefill.Clear();
        foreach (var seq in _running)
        {
            if (seq.Planned > 0)
            {
                _prefill.Add(new StepItem(seq, seq.Planned));
            }
        }
        // Every other row of the batch rides along as padding: it costs a row of the call and yields nothing.
        RunGroup(_prefill, _running.Count - _prefill.Count);
        Interlocked.Increment(ref _steps);
        EndStaticBatchIfDone();
        PublishCounts();
    }

    // One call per step over every row of the batch. Prefill phase: rows with prompt left take their next chunk,
    // sized so the padded call (rows × chunk) stays within the step's token budget; rows whose prompt is done wait,
    // as in a left-padded batch every row's first token comes after the longest prompt. Decode phase: one token per
    // live row.
    private void PlanStatic()
    {
        var prefilling = _running.Exists(s => !s.IsFinished && s.Pending > 1);
        var chunk = Math.Max(1, Math.Min(_options.PrefillChunkTokens, _options.MaxBatchedTokens / _running.Count));
        foreach (var seq in _running)
        {
            seq.Planned = seq.IsFinished ? 0
                : prefilling ? (seq.Pending > 1 ? Math.Min(seq.Pending, chunk) : 0)
                : 1;
        }
    }

    // The batch ends when no live row is left: only then are the finished rows' blocks freed and the next batch admitted.
    private void EndStaticBatchIfDone()
    {
        if (!_static || _running.Count == 0 || _running.Exists(s => !s.IsFinished))
        {
            return;
        }
        foreach (var seq in _running)
        {
            seq.Blocks.Release(_pool);
        }
        _running.Clear();
        PublishCounts();
    }
}
