using BenchmarkDotNet.Attributes;
using Silica.Prediction.Serving;

namespace Silica.Benchmarks;

/// <summary>
/// How long one serving simulation takes (20,000 measured requests after 1,000 warm-up, the defaults): `compare`
/// and `simulate` run one per candidate and load point, so this bounds how many they can afford.
/// <c>dotnet run -c Release --project benchmarks/Silica.Benchmarks -- --filter '*BatcherSimulator*'</c>
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[MedianColumn]
public class BatcherSimulatorBenchmarks
{
    private static readonly CurveServiceTime Curve = new([new(1, 0.001, 0.002), new(8, 0.004, 0.006)]);
    private static readonly BatcherPolicy Batching = new() { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(2) };
    private static readonly BatcherPolicy NoBatching = new() { MaxBatchSize = 1 };

    /// <summary>Load as a share of the batched capacity (8 rows per 4 ms = 2,000/s).</summary>
    [Params(0.5, 0.9)]
    public double Load { get; set; }

    [Benchmark(Description = "20k requests, batch ≤ 8, 2 ms delay")]
    public SimulationResult Batched() => BatcherSimulator.Run(Batching, Curve, 2000 * Load);

    [Benchmark(Description = "20k requests, no batching")]
    public SimulationResult Unbatched() => BatcherSimulator.Run(NoBatching, Curve, 1000 * Load);
}
