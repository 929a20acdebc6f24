namespace Silica.Runtime.Cuda.Kernels;

/// <summary>Host-side grid sizing shared by the emitters; every grid has at least one block.</summary>
internal static class LaunchGeometry
{
    // Grid-stride loops cover the rest: 65535 blocks of 256 threads saturate any current GPU (H100: 132 SMs × 2048).
    public const uint MaxLinearBlocks = 65535;

    public static readonly Dim3 Block = new(CudaSource.BlockSize);

    /// <summary>Blocks of <see cref="CudaSource.BlockSize"/> threads for <paramref name="work"/> grid-stride items.</summary>
    public static Dim3 Linear(long work) => new(Blocks(work, CudaSource.BlockSize));

    /// <summary>ceil(work / perBlock) clamped to [1, <see cref="MaxLinearBlocks"/>].</summary>
    public static uint Blocks(long work, long perBlock)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(work);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perBlock);
        var blocks = (work + perBlock - 1) / perBlock;
        return (uint)Math.Clamp(blocks, 1, MaxLinearBlocks);
    }

    public static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
