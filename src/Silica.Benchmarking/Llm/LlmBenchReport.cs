using Silica.Benchmarking.Results;

namespace Silica.Benchmarking.Llm;

/// <summary>The result of <c>silica bench --llm</c>: what was driven, how, and the latency and throughput it measured.</summary>
public sealed record LlmBenchReport
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Always <see cref="CurrentSchemaVersion"/> when written by this build.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always <c>llm</c> (tells this file from a <c>bench</c> report of an encoder or CNN).</summary>
    public string Kind { get; init; } = "llm";

    /// <summary>The model and where it ran.</summary>
    public required string Target { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedUtc { get; init; }

    /// <summary>The machine that sent the requests (and ran the model, in process).</summary>
    public required EnvironmentInfo Environment { get; init; }

    /// <summary>The settings.</summary>
    public required LlmBenchSettings Settings { get; init; }

    /// <summary>The measurements.</summary>
    public required LlmBenchResults Results { get; init; }
}

/// <summary>How the run was driven.</summary>
public sealed record LlmBenchSettings
{
    /// <summary>Mean requests per second of the Poisson arrivals.</summary>
    public double RequestRate { get; init; }

    /// <summary>Requests sent (measured).</summary>
    public int Requests { get; init; }

    /// <summary>The prompt-length distribution.</summary>
    public required string PromptLength { get; init; }

    /// <summary>The output-length distribution.</summary>
    public required string OutputLength { get; init; }

    /// <summary>The TTFT objective in milliseconds, if any.</summary>
    public double? SloTtftMs { get; init; }

    /// <summary>The TPOT objective in milliseconds, if any.</summary>
    public double? SloTpotMs { get; init; }

    /// <summary>Seed of arrivals, lengths and prompts.</summary>
    public int Seed { get; init; }
}

/// <summary>What the run measured. Latencies are from each request's scheduled send time.</summary>
public sealed record LlmBenchResults
{
    /// <summary>Requests that streamed to the end.</summary>
    public int Completed { get; init; }

    /// <summary>Requests that failed (refused, broken, timed out).</summary>
    public int Failed { get; init; }

    /// <summary>The first few failure reasons, distinct.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>From the first scheduled send to the last completion, seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Arrivals actually scheduled per second (the realised rate).</summary>
    public double AchievedRequestRate { get; init; }

    /// <summary>Completed requests per second.</summary>
    public double RequestThroughput { get; init; }

    /// <summary>Prompt tokens of completed requests.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Tokens generated for completed requests.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Output tokens per second over the run.</summary>
    public double OutputTokensPerSecond { get; init; }

    /// <summary>Prompt plus output tokens per second over the run.</summary>
    public double TotalTokensPerSecond { get; init; }

    /// <summary>Time to first token.</summary>
    public required LatencySummary TimeToFirstToken { get; init; }

    /// <summary>Time per output token after the first, one value per request.</summary>
    public required LatencySummary TimePerOutputToken { get; init; }

    /// <summary>Gaps between successive streamed chunks (tokens).</summary>
    public required LatencySummary InterTokenLatency { get; init; }

    /// <summary>End-to-end request latency.</summary>
    public required LatencySummary EndToEnd { get; init; }

    /// <summary>Completed requests within both SLOs (a missing SLO always holds), per second of the run; null without SLOs.</summary>
    public double? GoodputRequestsPerSecond { get; init; }

    /// <summary>Output tokens of requests within both SLOs, per second; null without SLOs.</summary>
    public double? GoodputOutputTokensPerSecond { get; init; }

    /// <summary>The fraction of sent requests that completed within both SLOs; null without SLOs.</summary>
    public double? SloAttainment { get; init; }
}
