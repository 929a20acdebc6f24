using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Conformance;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Tests.Conformance;

public sealed class TensorComparisonTests
{
    [Fact]
    public void Compare_KnownDifferences_ReportsAbsoluteRelativePeakAndCosine()
    {
        double[] expected = [1, -4, 0, 2];
        double[] actual = [1.1, -4, 0.05, 2];

        var c = TensorComparison.Compare(actual, expected, relativeTolerance: 0.01, absoluteTolerance: 0.06);

        Assert.Equal(0.1, c.MaxAbsoluteError, 1e-12);
        Assert.Equal(0.1, c.MaxRelativeError, 1e-12); // the 0 element has no relative error
        Assert.Equal(0.1 / 4, c.PeakRelativeError, 1e-12);
        Assert.InRange(c.Cosine, 0.99, 0.99999);
        Assert.Equal(1, c.Mismatches); // 0.05 ≤ 0.06 passes; 0.1 > 0.06 + 0.01 fails
    }

    [Fact]
    public void Compare_NaNMatchesOnlyNaN()
    {
        Assert.Equal(0, TensorComparison.Compare([double.NaN, 1], [double.NaN, 1]).Mismatches);
        var c = TensorComparison.Compare([double.NaN, 1], [0, 1]);
        Assert.Equal(1, c.Mismatches);
        Assert.Equal(double.PositiveInfinity, c.MaxAbsoluteError);
    }

    [Fact]
    public void Compare_OppositeVectors_CosineMinusOne()
    {
        var c = TensorComparison.Compare([1, 2, 3], [-1, -2, -3]);

        Assert.Equal(-1, c.Cosine, 1e-12);
        Assert.Equal(2, c.PeakRelativeError, 1e-12);
    }

    [Fact]
    public void Compare_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => TensorComparison.Compare([1, 2], [1]));
    }

    [Fact]
    public void Worst_TakesLargestErrorsAndLowestCosine()
    {
        var w = TensorComparison.Worst([new(2, 0.1, 0.2, 0.3, 0.99, 0), new(3, 0.5, 0.1, 0.1, 0.999, 2)]);

        Assert.Equal(new TensorComparison(5, 0.5, 0.2, 0.3, 0.99, 2), w);
    }

    [Fact]
    public void ToDoubles_HalfAndBFloat16_DecodeExactly()
    {
        using var half = Tensor.FromArray(new[] { (Half)1.5, (Half)(-2) }, [2]);
        using var bf16 = Tensor.Allocate(TensorDataType.BFloat16, [1]);
        bf16.AsSpan<ushort>()[0] = 0x3FC0; // 1.5 in BF16

        Assert.Equal([1.5, -2], TensorValues.ToDoubles(half));
        Assert.Equal([1.5], TensorValues.ToDoubles(bf16));
    }

    [Theory]
    [InlineData(Precision.Fp32, false, 1e-3, 1e-5)]
    [InlineData(Precision.Fp32, true, 2e-2, 2e-4)]
    [InlineData(Precision.Fp16, false, 2e-2, 2e-4)]
    [InlineData(Precision.Bf16, false, 2e-2, 2e-4)]
    [InlineData(Precision.Fp8, false, 1e-1, 1e-3)]
    public void TolerancesFor_Precision_ScalesOnnxDefaults(Precision precision, bool tf32, double rtol, double atol)
    {
        var t = NodeTestTolerances.For(precision, tf32);

        Assert.Equal(rtol, t.Relative, 1e-12);
        Assert.Equal(atol, t.Absolute, 1e-12);
    }
}
