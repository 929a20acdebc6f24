using System.Globalization;

namespace Silica.Serving.Metrics;

/// <summary>One generation model's latency histograms and token counters (lock-free).</summary>
internal sealed class LlmModelStats
{
    private readonly long[] _finished = new long[3];
    private long _promptTokens;
    private long _generationTokens;
    private long _failures;

    public LlmModelStats(string model)
    {
        Model = model;
        Labels = $"model=\"{model.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    /// <summary>Finish reasons in label order.</summary>
    public static readonly string[] FinishLabels = ["stop", "length", "abort"];

    public string Model { get; }

    public string Labels { get; }

    public DurationHistogram TimeToFirstToken { get; } = new();

    public DurationHistogram TimePerOutputToken { get; } = new();

    public DurationHistogram InterTokenLatency { get; } = new();

    public DurationHistogram EndToEnd { get; } = new();

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long GenerationTokens => Interlocked.Read(ref _generationTokens);

    public long Failures => Interlocked.Read(ref _failures);

    public long Finished(int reasonIndex) => Interlocked.Read(ref _finished[reasonIndex]);

    public void AddTokens(int prompt, int generated)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _generationTokens, generated);
    }

    public void AddFinished(int reasonIndex) => Interlocked.Increment(ref _finished[reasonIndex]);

    public void AddFailure() => Interlocked.Increment(ref _failures);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Model}: {GenerationTokens} tokens");
}
