using System.Diagnostics;
using Silica.Benchmarking.Histograms;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scheduling;

namespace Silica.Benchmarking.Llm;

/// <summary>
/// An open-loop LLM serving benchmark in the manner of vLLM's <c>benchmark_serving</c>: requests arrive as a seeded
/// Poisson process whatever the server's progress (so a slow server builds a queue instead of slowing the client
/// down), each with a prompt and output length drawn from the distributions. Every latency is measured from the
/// request's scheduled send time, so a late send counts against the server, as coordinated-omission-free load
/// generators do. Goodput counts the requests meeting both the TTFT and TPOT objectives (DistServe's definition).
/// </summary>
public static class LlmBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="target">The engine or server to drive.</param>
    /// <param name="options">Rate, lengths, objectives.</param>
    /// <param name="progress">Told the number of finished requests after each one.</param>
    /// <param name="cancellationToken">Stops the run; requests in flight are cancelled.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The warm-up request failed (the target is unreachable or refuses the model).</exception>
    public static async Task<LlmBenchReport> RunAsync(ILlmTarget target, LlmBenchOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        var requests = Enumerable.Range(0, options.Requests)
            .Select(i => new LlmRequest(i, options.PromptLength.Sample(random), options.OutputLength.Sample(random), random.Next()))
            .ToArray();
        for (var w = 0; w < options.WarmupRequests; w++)
        {
            var warm = requests[w % requests.Length] with { Index = -1 - w, OutputTokens = Math.Min(4, requests[w % requests.Length].OutputTokens) };
            var outcome = await SendWithTimeoutAsync(target, warm, Stopwatch.GetTimestamp(), _ => { }, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (outcome.Error is { } error)
            {
                throw new InvalidOperationException($"the warm-up request to {target.Description} failed: {error}");
            }
        }

        var offsets = new PoissonSchedule(options.RequestRate, options.Seed).CreateArrivalOffsets(requests.Length);
        var itl = new LatencyHistogram();
        var outcomes = new LlmOutcome[requests.Length];
        var finishedAt = new long[requests.Length];
        var inFlight = new List<Task>(requests.Length);
        var done = 0;
        var startedUtc = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < requests.Length; i++)
        {
            var scheduled = start + offsets[i];
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                outcomes[index] = await SendWithTimeoutAsync(target, requests[index], scheduled, itl.Record, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
                finishedAt[index] = Stopwatch.GetTimestamp();
                progress?.Report(Interlocked.Increment(ref done));
            }, cancellationToken));
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(start, finishedAt.Max());
        return new LlmBenchReport
        {
            Target = target.Description,
            StartedUtc = startedUtc,
            Environment = EnvironmentInfo.Capture(),
            Settings = new LlmBenchSettings
            {
                RequestRate = options.RequestRate,
                Requests = options.Requests,
                PromptLength = options.PromptLength.Spec,
                OutputLength = options.OutputLength.Spec,
                SloTtftMs = options.SloTtft?.TotalMilliseconds,
                SloTpotMs = options.SloTpot?.TotalMilliseconds,
                Seed = options.Seed,
            },
            Results = Summarize(outcomes, itl, duration, offsets, options),
        };
    }

    /// <summary>The report's figures from the outcomes.</summary>
    internal static LlmBenchResults Summarize(IReadOnlyList<LlmOutcome> outcomes, LatencyHistogram itl, TimeSpan duration, long[] offsets, LlmBenchOptions options)
    {
        var ok = outcomes.Where(o => o.Error is null).ToList();
        var ttft = new LatencyHistogram();
        var tpot = new LatencyHistogram();
        var e2e = new LatencyHistogram();
        foreach (var o in ok)
        {
            ttft.Record(o.TimeToFirstToken);
            e2e.Record(o.EndToEnd);
            if (o.TimePerOutputToken is { } t)
            {
                tpot.Record(t);
            }
        }
        var seconds = Math.Max(duration.TotalSeconds, 1e-9);
        var outputTokens = ok.Sum(o => (long)o.OutputTokens);
        var promptTokens = ok.Sum(o => (long)o.PromptTokens);
        var slo = options.SloTtft is not null || options.SloTpot is not null;
        var good = ok.Where(o => (options.SloTtft is not { } t || o.TimeToFirstToken <= t)
            && (options.SloTpot is not { } p || o.TimePerOutputToken is not { } tp || tp <= p)).ToList();
        var span = offsets.Length > 1 ? (offsets[^1] - offsets[0]) / (double)Stopwatch.Frequency : 0;
        return new LlmBenchResults
        {
            Completed = ok.Count,
            Failed = outcomes.Count - ok.Count,
            Errors = [.. outcomes.Where(o => o.Error is not null).Select(o => o.Error!).Distinct().Take(5)],
            DurationSeconds = duration.TotalSeconds,
            AchievedRequestRate = span > 0 ? (offsets.Length - 1) / span : 0,
            RequestThroughput = ok.Count / seconds,
            PromptTokens = promptTokens,
            OutputTokens = outputTokens,
            OutputTokensPerSecond = outputTokens / seconds,
            TotalTokensPerSecond = (promptTokens + outputTokens) / seconds,
            TimeToFirstToken = ttft.Summarize(),
            TimePerOutputToken = tpot.Summarize(),
            InterTokenLatency = itl.Summarize(),
            EndToEnd = e2e.Summarize(),
            GoodputRequestsPerSecond = slo ? good.Count / seconds : null,
            GoodputOutputTokensPerSecond = slo ? good.Sum(o => (long)o.OutputTokens) / seconds : null,
            SloAttainment = slo ? good.Count / (double)outcomes.Count : null,
        };
    }

    private static async Task<LlmOutcome> SendWithTimeoutAsync(ILlmTarget target, LlmRequest request, long scheduled, Action<TimeSpan> gap,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await target.SendAsync(request, scheduled, gap, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return LlmOutcome.Failed($"no answer within {timeout.TotalSeconds:0} s", Stopwatch.GetElapsedTime(scheduled));
        }
    }
}
