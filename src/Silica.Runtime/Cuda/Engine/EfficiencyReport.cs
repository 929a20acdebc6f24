namespace Silica.Runtime.Cuda;

/// <summary>How close the engine's kernels come to the device's own limits, measured on this GPU.</summary>
/// <param name="CopyGigabytesPerSecond">Device-to-device copy bandwidth (bytes read + written per second, cuMemcpyDtoD of 512 MiB).</param>
/// <param name="Gemms">Each GEMM layer of the plan against a bare cuBLASLt GEMM of the same shape and type.</param>
/// <param name="MemoryKernels">Each memory-bound kernel step (≥ 4 MiB moved) with its achieved bandwidth.</param>
public sealed record EfficiencyReport(double CopyGigabytesPerSecond, IReadOnlyList<GemmEfficiency> Gemms, IReadOnlyList<MemoryKernelEfficiency> MemoryKernels)
{
    /// <summary>Time-weighted fraction of bare cuBLASLt speed over all GEMM layers (bare time sum / layer time sum).</summary>
    public double GemmFraction => Gemms.Sum(g => g.LayerMilliseconds) is var t and > 0 ? Gemms.Sum(g => g.BareMilliseconds) / t : double.NaN;

    /// <summary>Byte-weighted fraction of copy bandwidth over the memory-bound kernels (bytes / time, over copy bandwidth).</summary>
    public double MemoryFraction => MemoryKernels.Sum(k => k.Milliseconds) is var t and > 0
        ? MemoryKernels.Sum(k => k.Bytes) / (t / 1e3) / 1e9 / CopyGigabytesPerSecond
        : double.NaN;
}

/// <summary>One GEMM layer (the GEMM and any epilogue kernels of its step) against a bare cuBLASLt GEMM.</summary>
public sealed record GemmEfficiency(string Name, long M, long N, long K, long Batch, double LayerMilliseconds, double BareMilliseconds, double Tflops);

/// <summary>One memory-bound step: bytes read and written, device time, achieved bandwidth.</summary>
public sealed record MemoryKernelEfficiency(string Name, string Kind, long Bytes, double Milliseconds, double GigabytesPerSecond);
