namespace Silica.Optimization.Optimizer;

/// <summary>Median latency of the original and the optimized model, measured side by side on this machine's CPU.</summary>
/// <param name="Device">The CPU model name, as the report prints "measured on …".</param>
/// <param name="Threads">Intra-op threads ONNX Runtime used (logical cores of this machine).</param>
/// <param name="Batch">The batch size both models ran at (the evaluation sample's leading dimension).</param>
/// <param name="OriginalMedianMs">The original model's median latency per run.</param>
/// <param name="OptimizedMedianMs">The optimized model's median latency per run.</param>
/// <param name="Runs">Timed runs per model (after warm-up), interleaved so drift hits both alike.</param>
public sealed record SpeedComparison(string Device, int Threads, long Batch, double OriginalMedianMs, double OptimizedMedianMs, int Runs)
{
    /// <summary>How many times faster the optimized model ran (above 1 is faster).</summary>
    public double Speedup => OptimizedMedianMs > 0 ? OriginalMedianMs / OptimizedMedianMs : double.NaN;
}
