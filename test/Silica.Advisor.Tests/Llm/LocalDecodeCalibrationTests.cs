using System.Globalization;
using Silica.Advisor.Llm;
using Silica.Hardware;
using Silica.Prediction;
using Silica.Prediction.Llm;
using Xunit.Abstractions;

namespace Silica.Advisor.Tests.Llm;

/// <summary>Times real decode steps: kept out of parallel runs so other tests do not share the cores it measures.</summary>
[Collection(nameof(LocalDecodeCalibrationTests))]
[CollectionDefinition(nameof(LocalDecodeCalibrationTests), DisableParallelization = true)]
public sealed class LocalDecodeCalibrationTests(ITestOutputHelper output)
{
    private const int PastTokens = 128;
    private const int Threads = 1;

    /// <summary>
    /// Measures llama-tiny's decode step on this CPU at batch 1, 4 and 16, calibrates the step model on batches 1 and 16
    /// only, and checks the predicted TPOT at all three within 20% of measured: batch 4 is held out (it tests the
    /// model's shape between the ends), and batches 1 and 16 test that one set of factors explains both ends.
    /// </summary>
    [Fact]
    public void TinyLlama_DecodeStep_CalibratedAtBatch1And16_PredictsBatch1_4_16Within20Percent()
    {
        var decoder = DecoderInput.Resolve("zoo:llama-tiny");
        var replica = LocalDecodeCalibration.LocalReplica(CatalogLoader.LoadDefault(), Threads);
        var model = new DecoderStepModel(decoder.Shape, replica);
        var measured = LocalDecodeCalibration.Measure(decoder.Model.Path, decoder.Shape, [1, 4, 16], PastTokens, rounds: 20, Threads);
        var observations = LocalDecodeCalibration.Observe(model, measured);
        var factors = LocalDecodeCalibration.Fit([observations[0], observations[2]]);
        var prior = DecoderPredictor.PriorFactors(replica);
        output.WriteLine($"factors fitted on batch 1 and 16: {string.Join(" ", factors.ToDictionary().Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:0.###}")))}");
        var ratios = new List<double>();
        for (var i = 0; i < measured.Count; i++)
        {
            var predicted = DecoderPredictor.Predict(model, measured[i].Batch, PastTokens - 1, 2, factors).TpotSeconds;
            Assert.Equal(observations[i].Terms.Total(factors), predicted, 1e-9 * predicted); // the TPOT the CLI would print (prompt 127: the second token reads 128 cached)
            var ratio = predicted / measured[i].CostSeconds;
            ratios.Add(ratio);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {measured[i].Batch}: measured {measured[i].CostSeconds * 1e3:0.###} ms CPU per step (wall median {measured[i].WallSeconds * 1e3:0.###} ms), " +
                $"prior {observations[i].Terms.Total(prior) * 1e3:0.###} ms, calibrated {predicted * 1e3:0.###} ms, predicted/measured {ratio:0.###}"));
        }
        Assert.All(ratios, r => Assert.InRange(r, 0.8, 1.2));
    }
}
