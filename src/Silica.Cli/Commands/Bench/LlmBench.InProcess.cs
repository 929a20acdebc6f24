using Silica.Benchmarking.Llm;
using Silica.Runtime.Generation;

namespace Silica.Cli.Commands.Bench;

internal static partial class LlmBench
{
    // The engine's defaults (continuous batching, paged cache); the bench owns it and disposes it at the end.
    private static GenerationEngineTarget InProcess(string model, int threads) =>
        new(GenerationEngine.Create(model, new GenerationEngineOptions
        {
            Session = new Runtime.Backends.SessionOptions { IntraOpThreads = threads },
        }), ownsEngine: true);
}
