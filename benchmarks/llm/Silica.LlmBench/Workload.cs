namespace Silica.LlmBench;

/// <summary>One request of a synthetic workload: when it arrives and how long its prompt and output are.</summary>
internal sealed record WorkloadRequest(int Index, TimeSpan Arrival, int PromptTokens, int OutputTokens);

/// <summary>Seeded synthetic workloads, so every mode under comparison sees the same requests at the same times.</summary>
internal static class Workload
{
    /// <summary>Prompt lengths uniform in [promptMin, promptMax], outputs uniform in [outMin, outMax], all arriving at once.</summary>
    public static List<WorkloadRequest> Burst(int count, (int Min, int Max) prompt, (int Min, int Max) output, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
            new WorkloadRequest(i, TimeSpan.Zero, random.Next(prompt.Min, prompt.Max + 1), random.Next(output.Min, output.Max + 1)))];
    }

    /// <summary>
    /// Poisson arrivals at <paramref name="ratePerSecond"/>; prompts uniform; outputs exponential with the given mean, clamped
    /// (chat-like: most answers short, a few long — the spread that leaves a static batch's slots idle).
    /// </summary>
    public static List<WorkloadRequest> Poisson(int count, double ratePerSecond, (int Min, int Max) prompt, double outputMean, (int Min, int Max) output, int seed)
    {
        var random = new Random(seed);
        var t = 0.0;
        var list = new List<WorkloadRequest>(count);
        for (var i = 0; i < count; i++)
        {
            t += -Math.Log(1 - random.NextDouble()) / ratePerSecond;
            var promptTokens = random.Next(prompt.Min, prompt.Max + 1);
            var outputTokens = (int)Math.Clamp(Math.Round(-Math.Log(1 - random.NextDouble()) * outputMean), output.Min, output.Max);
            list.Add(new WorkloadRequest(i, TimeSpan.FromSeconds(t), promptTokens, outputTokens));
        }
        return list;
    }

    /// <summary>A prompt of exactly <paramref name="length"/> token ids, distinct per request.</summary>
    public static int[] PromptIds(int length, int index, int vocab)
    {
        var random = new Random(1000 + index);
        // Ids from the common part of the GPT-2 vocabulary; any id below vocab would do for synthetic weights.
        return [.. Enumerable.Range(0, length).Select(_ => random.Next(256, Math.Min(vocab, 20000)))];
    }
}
