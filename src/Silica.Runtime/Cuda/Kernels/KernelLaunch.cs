namespace Silica.Runtime.Cuda.Kernels;

/// <summary>A CUDA grid or block size.</summary>
internal readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1);

/// <summary>One kernel argument, in order, as the kernel's C signature declares it.</summary>
internal abstract record KernelArg;

/// <summary>A device pointer to a plan buffer's first byte (the executor resolves views and the arena).</summary>
internal sealed record BufferArg(int BufferId) : KernelArg;

/// <summary>A device pointer to executor-owned scratch of <see cref="Bytes"/> bytes (zeroed before the launch when asked).</summary>
internal sealed record ScratchArg(long Bytes, bool Zeroed = false) : KernelArg;

internal sealed record Int32Arg(int Value) : KernelArg;

internal sealed record Int64Arg(long Value) : KernelArg;

internal sealed record Float32Arg(float Value) : KernelArg;

/// <summary>
/// A kernel to compile (NVRTC, cached by source hash and architecture) and launch. <see cref="Source"/> is a whole
/// translation unit; <see cref="Entry"/> is an <c>extern "C" __global__</c> function in it.
/// </summary>
internal sealed record KernelLaunch(string Source, string Entry, Dim3 Grid, Dim3 Block, int SharedBytes, IReadOnlyList<KernelArg> Args);
