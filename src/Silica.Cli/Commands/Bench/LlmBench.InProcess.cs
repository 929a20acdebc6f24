using Silica.Benchmarking.Llm;

namespace Silica.Cli.Commands.Bench;

internal static partial class LlmBench
{
    // Replaced by the real engine once Silica.Runtime's GenerationEngine is merged.
    private static ILlmTarget InProcess(string model, int threads) =>
        throw new UsageException($"in-process bench --llm of '{model}' (threads {threads}) needs the generation engine; use --url against a server");
}
