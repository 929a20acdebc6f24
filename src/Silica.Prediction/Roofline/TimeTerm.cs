namespace Silica.Prediction;

/// <summary>
/// The parts a predicted latency is made of. Calibration fits one multiplier per term, so a device whose GEMMs run
/// faster than the prior says is corrected without distorting its memory-bound kernels.
/// </summary>
public enum TimeTerm
{
    /// <summary>Compute-bound matrix products.</summary>
    Gemm,

    /// <summary>Compute-bound dense convolutions.</summary>
    Conv,

    /// <summary>Compute-bound depthwise convolutions and vector ops.</summary>
    OtherCompute,

    /// <summary>Memory-bound kernels of any group.</summary>
    Memory,

    /// <summary>Per-kernel launch and per-inference fixed costs.</summary>
    Overhead,
}
