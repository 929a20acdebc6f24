using Silica.Runtime.Backends;
using Silica.Runtime.Generation.KvCache;

namespace Silica.Runtime.Generation.Scheduling;

/// <summary>Running a planned group through the model, sampling, and ending sequences.</summary>
internal sealed partial class StepScheduler
{
    // paddingRows: rows of a static batch that compute but serve nobody (see StepScheduler.Static.cs).
    private void RunGroup(List<StepItem> items, int paddingRows = 0)
    {
        if (items.Count == 0)
        {
            return;
        }
        try
        {
            var computed = _runner.Run(items, _pool, paddingRows);
            var real = 0;
            foreach (var item in items)
            {
                real += item.Count;
            }
            // Padding: static batches' padding rows, and the right-padding of rows with fewer new tokens than the
            // longest in the call (the model takes one new-token length per call, in either mode).
            Interlocked.Add(ref _computedTokens, computed);
            Interlocked.Add(ref _paddingTokens, computed - real);
        }
        catch (Exception e) when (e is InferenceException or InvalidInputException or ArgumentException or InvalidOperationException)
        {
            // The model failed on this group: end its sequences with the error; the others keep running.
            foreach (var (seq, _) in items)
            {
                Fail(seq, e);
            }
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var (seq, count) = items[i];
            if (seq.Cached < seq.PromptLength)
            {
                Interlocked.Add(ref _promptTokens, Math.Min(count, seq.PromptLength - seq.Cached));
            }
            seq.Cached += count;
            seq.Planned = 0;
            if (seq.Pending == 0)
            {
                Accept(seq, _sampler.Sample(_runner.LastLogits(i, count), seq.Sampling, seq.Random));
            }
        }
    }

    // Appends a sampled token, streams the text it releases, and ends the sequence when a stop condition holds.
    private void Accept(Sequence seq, int token)
    {
        Interlocked.Increment(ref _generatedTokens);
        seq.Generated++;
        if (token == _endOfSequence)
        {
            var rest = seq.Text.Flush(seq.OutputTokens);
            Finish(seq, new GeneratedToken(token, rest, FinishReason.Stop, seq.PromptLength, seq.Generated));
            return;
        }
        seq.Append(token);
        var text = seq.Text.Advance(seq.OutputTokens, out var stopped);
        FinishReason? finish = stopped ? FinishReason.Stop
            : seq.Generated >= seq.Sampling.MaxTokens || seq.Tokens.Count >= ContextLength ? FinishReason.Length
            : null;
        if (finish == FinishReason.Length)
        {
            text += seq.Text.Flush(seq.OutputTokens);
        }
        var item = new GeneratedToken(token, text, finish, seq.PromptLength, seq.Generated);
        if (finish is null)
        {
            seq.Output.Writer.TryWrite(item);
        }
        else
        {
            Finish(seq, item);
        }
    }

    private void FinishCancelled(Sequence seq) =>
        Finish(seq, new GeneratedToken(-1, "", FinishReason.Cancelled, seq.PromptLength, seq.Generated));

    // Frees the blocks first, so a caller that sees the last item also sees the cache released. Static batching keeps
    // them until the whole batch ends: the row stays in the fixed-shape batch as padding.
    private void Finish(Sequence seq, GeneratedToken last)
    {
        if (_static)
        {
            seq.IsFinished = true;
            seq.Registration.Dispose();
        }
        else
        {
            Release(seq);
        }
        seq.Output.Writer.TryWrite(last);
        seq.Output.Writer.TryComplete();
    }

    private void Fail(Sequence seq, Exception error)
    {
        Release(seq);
        seq.Output.Writer.TryComplete(error);
    }

    private void Release(Sequence seq)
    {
        seq.IsFinished = true;
        seq.Blocks.Release(_pool);
        seq.Registration.Dispose();
    }
}
