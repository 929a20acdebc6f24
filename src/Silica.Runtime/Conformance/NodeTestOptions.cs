using Silica.Runtime.Backends;

namespace Silica.Runtime.Conformance;

/// <summary>What <see cref="NodeTestRunner"/> runs and how strictly it compares.</summary>
public sealed record NodeTestOptions
{
    /// <summary>Operator types to run (case-insensitive, e.g. <c>Add</c>, <c>Conv</c>); null or empty runs every test.</summary>
    public IReadOnlyCollection<string>? OpFilter { get; init; }

    /// <summary>The precision the backend computes in (passed to <see cref="SessionOptions.Precision"/>).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Lets FP32 matrix products use TF32 (passed to <see cref="SessionOptions.AllowTf32"/>).</summary>
    public bool AllowTf32 { get; init; }

    /// <summary>Comparison tolerances; null uses <see cref="NodeTestTolerances.For"/> the precision.</summary>
    public NodeTestTolerances? Tolerances { get; init; }
}

/// <summary>
/// Element-wise tolerances, as ONNX's backend test runner applies them: an element passes when
/// <c>|actual − expected| ≤ Absolute + Relative·|expected|</c>.
/// </summary>
/// <param name="Relative">The relative tolerance (rtol).</param>
/// <param name="Absolute">The absolute tolerance (atol).</param>
public sealed record NodeTestTolerances(double Relative, double Absolute)
{
    /// <summary>ONNX's defaults for FP32: rtol 1e-3, atol 1e-5 (<c>onnx/backend/test/runner</c>).</summary>
    public static NodeTestTolerances Default { get; } = new(1e-3, 1e-5);

    /// <summary>
    /// The tolerance for a compute precision: <see cref="Default"/> for FP32 and INT8 (integer results are exact),
    /// ×20 for FP16 and BF16, ×100 for FP8. The FP8 factor is a guess, not a published figure: node tests have
    /// no FP8 reference, so treat FP8 node-test results as a smoke test.
    /// </summary>
    public static NodeTestTolerances For(Precision precision, bool allowTf32 = false) => precision switch
    {
        Precision.Fp16 or Precision.Bf16 => Scaled(20),
        Precision.Fp8 => Scaled(100),
        // TF32 rounds products' inputs to a 10-bit mantissa, like FP16: same allowance.
        _ when allowTf32 => Scaled(20),
        _ => Default,
    };

    private static NodeTestTolerances Scaled(double factor) => new(Default.Relative * factor, Default.Absolute * factor);
}
