using Silica.Optimization.Data;

namespace Silica.Optimization.Optimizer;

public static partial class ModelOptimizer
{
    /// <summary>
    /// The calibration set: the caller's, or — for precisions that need one — synthetic samples with a note, because
    /// requiring data would make a first try impossible while silently using random data would hide how weak it is.
    /// </summary>
    private static SampleSet? CalibrationData(OptimizeRequest request, List<string> notes)
    {
        if (!request.Precision.NeedsCalibration())
        {
            return null;
        }
        if (request.Calibration is { } given)
        {
            return NonEmpty(given, "calibration");
        }
        notes.Add($"no calibration data given: calibrated on {SyntheticFallbackCount} synthetic samples; activation ranges from random inputs are a guess — pass --calibration with real samples");
        return SyntheticSamples.Create(ModelInputs.Of(request.Model), request.Bindings, SyntheticFallbackCount, request.Seed);
    }

    /// <summary>The evaluation set: the caller's, else the calibration set, else synthetic samples; the note says which.</summary>
    private static SampleSet EvaluationData(OptimizeRequest request, SampleSet? calibration, List<string> notes)
    {
        if (request.Evaluation is { } given)
        {
            return NonEmpty(given, "evaluation");
        }
        var fallback = request.Calibration ?? calibration;
        if (fallback is not null)
        {
            notes.Add("no evaluation data given: accuracy was checked on the calibration samples, which the quantizer has seen");
            return fallback;
        }
        notes.Add($"no evaluation data given: accuracy was checked on {SyntheticFallbackCount} synthetic samples (agreement with the original on random inputs, not task accuracy)");
        return SyntheticSamples.Create(ModelInputs.Of(request.Model), request.Bindings, SyntheticFallbackCount, request.Seed + 1);
    }

    private static SampleSet NonEmpty(SampleSet set, string role) =>
        set.Samples.Count > 0 ? set : throw new SampleDataException($"the {role} set '{set.Source}' has no samples");
}
