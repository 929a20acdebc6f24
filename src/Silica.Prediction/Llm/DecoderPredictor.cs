using Silica.Hardware;

namespace Silica.Prediction.Llm;

/// <summary>
/// Predicts TTFT and TPOT of a decoder on a replica for a static batch: prefill of batch × prompt tokens in one step,
/// then one decode step per further output token with the cache growing by one token a step.
/// </summary>
public static class DecoderPredictor
{
    /// <summary>The uncalibrated factors of a replica's device class: all 1, with the class prior's spread.</summary>
    public static CalibrationFactors PriorFactors(DecoderReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return CalibrationFactors.Prior(replica.Prior.Spread,
            $"decoder roofline (weights + KV streamed per step) with {replica.Device.Class.ToString().ToLowerInvariant()} priors (docs/prediction.md), not calibrated");
    }

    /// <summary>Predicts; <paramref name="factors"/> default to the prior's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public static DecoderLatency Predict(DecoderStepModel model, int batch, int promptTokens, int outputTokens, CalibrationFactors? factors = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(promptTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputTokens, 1);
        factors ??= PriorFactors(model.Replica);
        var prefill = model.Time(StepLoad.Prefill(batch, promptTokens));
        var ttft = prefill.Seconds(factors);
        var firstDecode = model.Time(StepLoad.Decode(batch, promptTokens));
        double tpot;
        double communication = 0;
        if (outputTokens == 1)
        {
            tpot = firstDecode.Seconds(factors);
            communication = factors[TimeTerm.Overhead] * firstDecode.Communication;
        }
        else
        {
            // The step after the k-th output token reads prompt + k cached tokens.
            double sum = 0;
            for (var k = 1; k < outputTokens; k++)
            {
                var step = model.Time(StepLoad.Decode(batch, promptTokens + k));
                sum += step.Seconds(factors);
                communication += factors[TimeTerm.Overhead] * step.Communication;
            }
            tpot = sum / (outputTokens - 1);
            communication /= outputTokens - 1;
        }
        var band = factors.BandFactor;
        var memory = DecoderMemory.For(model, (long)batch * (promptTokens + outputTokens));
        return new DecoderLatency(batch, promptTokens, outputTokens, ttft, ttft / band, ttft * band, tpot, tpot / band, tpot * band,
            Bound(prefill), Bound(firstDecode), communication / tpot, memory, factors.Basis);
    }

    private static string Bound(StepTime t) => t.Gemm + t.Attention >= t.Memory ? "compute" : "memory";
}
