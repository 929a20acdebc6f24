namespace Silica.Prediction.Tests.Calibration;

public sealed class CalibratorTests
{
    private static PredictionTerms Terms(double gemm, double memory, double overhead)
    {
        var t = new PredictionTerms();
        t.Add(TimeTerm.Gemm, Onnx.Cost.OpClass.Gemm, gemm);
        t.Add(TimeTerm.Memory, Onnx.Cost.OpClass.Elementwise, memory);
        t.Add(TimeTerm.Overhead, null, overhead);
        return t;
    }

    [Fact]
    public void Fit_RecoversKnownFactors_FromNoiselessCurve()
    {
        // A batch sweep: GEMM time grows with the batch, weight traffic stays, overhead is fixed.
        var observations = new[] { 1, 2, 4, 8, 16, 32 }.Select(b =>
        {
            // Memory traffic varies unlike the batch (activations that spill at some sizes), so the terms are separable.
            var memory = 0.004 * (1 + (b % 3));
            var terms = Terms(0.001 * b, memory, 0.0005);
            var measured = (2.0 * 0.001 * b) + (0.5 * memory) + (1.5 * 0.0005);
            return new Observation(terms, measured);
        }).ToList();
        var f = Calibrator.Fit(observations, "test");
        // The pull toward the prior biases the fit a little; within 5% is what the ridge allows.
        Assert.InRange(f[TimeTerm.Gemm], 1.9, 2.1);
        Assert.InRange(f[TimeTerm.Memory], 0.45, 0.55);
        // The overhead is a small constant beside the memory term: weakly identified, so only its range is checked.
        Assert.InRange(f[TimeTerm.Overhead], 0.5, 2.0);
        Assert.True(Calibrator.RmsPercentError(observations, f) < 3);
        Assert.True(f.IsCalibrated);
        Assert.Equal(Calibrator.MinSpread, f.Spread);
    }

    [Fact]
    public void Fit_TermAbsentFromEveryObservation_KeepsItsAnchor()
    {
        var observations = new[] { new Observation(Terms(0.01, 0, 0.001), 0.03), new Observation(Terms(0.02, 0, 0.001), 0.05) };
        var f = Calibrator.Fit(observations, "test");
        Assert.Equal(1.0, f[TimeTerm.Memory]);
        Assert.Equal(1.0, f[TimeTerm.Conv]);
        Assert.True(f[TimeTerm.Gemm] > 1.5);
    }

    [Fact]
    public void Fit_FactorsStayWithinBounds()
    {
        // The measurement says GEMMs take 100x the prior's time; the fit stops at the bound.
        var observations = new[] { new Observation(Terms(0.1, 0, 0), 10.0) };
        var f = Calibrator.Fit(observations, "test");
        Assert.Equal(Calibrator.MaxFactor, f[TimeTerm.Gemm]);
    }

    [Fact]
    public void Fit_NoObservations_Throws() =>
        Assert.Throws<ArgumentException>(() => Calibrator.Fit([], "test"));

    [Fact]
    public void Fit_NonPositiveMeasurement_Throws() =>
        Assert.Throws<ArgumentException>(() => Calibrator.Fit([new Observation(Terms(1, 1, 1), 0)], "test"));

    [Fact]
    public void Fit_WithAnchor_UnexercisedTermsKeepTheAnchor()
    {
        var anchor = new CalibrationFactors([3.0, 2.0, 1.0, 0.5, 1.0], 0.1, true, "anchor");
        var observations = new[] { new Observation(Terms(0.01, 0.01, 0), 0.02) };
        var f = Calibrator.Fit(observations, "test", anchor);
        Assert.Equal(2.0, f[TimeTerm.Conv]);
    }
}
