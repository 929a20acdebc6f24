using System.Diagnostics;
using Silica.Runtime.Generation;

namespace Silica.LlmBench;

/// <summary>Plays a workload open-loop against an engine (each request is sent at its arrival time, whatever the engine is doing).</summary>
internal static class WorkloadRunner
{
    /// <param name="ComputedTokens">Token positions the model computed in this run, padding included.</param>
    /// <param name="PaddingTokens">Of those, padding whose outputs were discarded (static batching's padded prefill and finished rows).</param>
    public sealed record Result(List<RequestTrace> Traces, double MakespanMs, double MeanRunning, int PeakRunning, long Preempted,
        long ComputedTokens, long PaddingTokens)
    {
        /// <summary>Computed ÷ useful (non-padding) positions: 1 when nothing was padded (NaN when nothing ran).</summary>
        public double PaddingFactor => ComputedTokens == PaddingTokens ? double.NaN : (double)ComputedTokens / (ComputedTokens - PaddingTokens);
    }

    public static async Task<Result> RunAsync(GenerationEngine engine, IReadOnlyList<WorkloadRequest> workload)
    {
        var before = engine.Stats;
        var clock = Stopwatch.StartNew();
        var traces = workload.Select(r => new RequestTrace(r)).ToList();
        using var sampling = new CancellationTokenSource();
        double runningSum = 0;
        long samples = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                runningSum += engine.Stats.Running;
                samples++;
                await Task.Delay(2).ConfigureAwait(false);
            }
        });
        var tasks = new List<Task>(traces.Count);
        foreach (var trace in traces)
        {
            var wait = trace.Request.Arrival - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
            trace.ArrivalMs = trace.Request.Arrival.TotalMilliseconds;
            var prompt = Workload.PromptIds(trace.Request.PromptTokens, trace.Request.Index, engine.VocabularySize);
            var stream = engine.GenerateAsync(new GenerationRequest($"r{trace.Request.Index}", prompt, SamplingOptions.Greedy(trace.Request.OutputTokens)));
            tasks.Add(Consume(stream, trace, clock));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var makespan = clock.Elapsed.TotalMilliseconds;
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var after = engine.Stats;
        return new Result(traces, makespan, samples == 0 ? 0 : runningSum / samples, engine.PeakRunning, after.Preempted,
            after.ComputedTokensTotal - before.ComputedTokensTotal, after.PaddingTokensTotal - before.PaddingTokensTotal);
    }

    private static async Task Consume(IAsyncEnumerable<GeneratedToken> stream, RequestTrace trace, Stopwatch clock)
    {
        await foreach (var item in stream.ConfigureAwait(false))
        {
            if (item.TokenId < 0)
            {
                continue;
            }
            var now = clock.Elapsed.TotalMilliseconds;
            if (trace.Tokens == 0)
            {
                trace.FirstTokenMs = now;
            }
            trace.LastTokenMs = now;
            trace.Tokens++;
        }
    }
}
