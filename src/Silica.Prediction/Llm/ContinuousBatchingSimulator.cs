using System.Globalization;

namespace Silica.Prediction.Llm;

/// <summary>
/// Simulates a decoder replica serving Poisson arrivals with continuous batching, and finds the highest rate it sustains
/// under TTFT/TPOT SLOs. Step times come from <see cref="DecoderStepModel"/> under calibration factors, so the result
/// is a prediction with the model's basis.
/// </summary>
public static class ContinuousBatchingSimulator
{
    /// <summary>Rate halvings/doublings and bisection steps of the search: the rate is found to within about 2%.</summary>
    private const int SearchSteps = 14;

    /// <summary>One run at <paramref name="arrivalQps"/> requests per second.</summary>
    /// <exception cref="ArgumentException">The rate is not positive, or the options are out of range.</exception>
    public static ContinuousBatchingResult Simulate(DecoderStepModel model, CalibrationFactors factors, TokenLengths prompts, TokenLengths outputs,
        double arrivalQps, ContinuousBatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(outputs);
        options ??= new ContinuousBatchingOptions();
        options.Validate();
        if (!(arrivalQps > 0) || !double.IsFinite(arrivalQps))
        {
            throw new ArgumentException($"the arrival rate must be positive (is {arrivalQps})");
        }
        return new ContinuousBatchingSimulation(model, factors, prompts, outputs, arrivalQps, options).Run();
    }

    /// <summary>
    /// The highest arrival rate at which the replica meets <paramref name="slo"/> at the options' percentile: first the
    /// unloaded case (a lone request must meet both bounds), then a bracket from the decode-bound throughput of a full
    /// batch, then bisection on the log of the rate (common random numbers keep the comparison between rates fair).
    /// </summary>
    public static ReplicaCapacity MaxSustainable(DecoderStepModel model, CalibrationFactors factors, TokenLengths prompts, TokenLengths outputs,
        LlmSlo slo, ContinuousBatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(slo);
        options ??= new ContinuousBatchingOptions();
        options.Validate();
        var c = CultureInfo.InvariantCulture;
        var capacity = DecoderMemory.For(model, 0).KvCapacityTokens ?? long.MaxValue;
        if (capacity < (long)prompts.Max + outputs.Max)
        {
            return new ReplicaCapacity(null, capacity == 0
                ? "the weights alone fill the usable memory"
                : string.Create(c, $"the KV cache holds {capacity} tokens, fewer than one request's {prompts.Max + outputs.Max}"));
        }
        var aloneTtft = model.Seconds(StepLoad.Prefill(1, prompts.Max), factors);
        var aloneTpot = model.Seconds(StepLoad.Decode(1, prompts.Max + outputs.Max - 1), factors);
        if (aloneTtft > slo.Ttft.TotalSeconds)
        {
            return new ReplicaCapacity(null, string.Create(c, $"misses the TTFT SLO unloaded: prefill of {prompts.Max} tokens takes {aloneTtft * 1e3:0.#} ms"));
        }
        if (aloneTpot > slo.Tpot.TotalSeconds)
        {
            return new ReplicaCapacity(null, string.Create(c, $"misses the TPOT SLO unloaded: one decode step takes {aloneTpot * 1e3:0.#} ms"));
        }
        // Upper bracket: a full batch decoding back to back, its size bounded by sequences and cache.
        var full = (int)Math.Max(1, Math.Min(options.MaxSequences, capacity / (prompts.Mean + outputs.Mean)));
        var step = model.Seconds(StepLoad.Decode(full, (long)(prompts.Mean + (outputs.Mean / 2))), factors);
        var high = 1.5 * full / (step * outputs.Mean);
        var low = high / 1024;
        ContinuousBatchingResult Run(double qps) => new ContinuousBatchingSimulation(model, factors, prompts, outputs, qps, options).Run();
        var atLow = Run(low);
        for (var i = 0; i < SearchSteps && !slo.IsMetBy(atLow, options.SloPercentile); i++)
        {
            high = low;
            low /= 8;
            atLow = Run(low);
        }
        if (!slo.IsMetBy(atLow, options.SloPercentile))
        {
            return new ReplicaCapacity(null, string.Create(c,
                $"misses the SLOs even at {low:0.####} requests/s (p{options.SloPercentile:0} TTFT {atLow.Ttft(options.SloPercentile) * 1e3:0.#} ms, TPOT {atLow.Tpot(options.SloPercentile) * 1e3:0.#} ms)"));
        }
        var atHigh = Run(high);
        for (var i = 0; i < SearchSteps && slo.IsMetBy(atHigh, options.SloPercentile); i++)
        {
            low = high;
            atLow = atHigh;
            high *= 2;
            atHigh = Run(high);
        }
        for (var i = 0; i < SearchSteps; i++)
        {
            var mid = Math.Sqrt(low * high);
            var atMid = Run(mid);
            if (slo.IsMetBy(atMid, options.SloPercentile))
            {
                low = mid;
                atLow = atMid;
            }
            else
            {
                high = mid;
            }
        }
        return new ReplicaCapacity(atLow, null);
    }

    /// <summary>Factors with every term multiplied by <paramref name="scale"/>: the slow or fast end of the band.</summary>
    public static CalibrationFactors Scaled(CalibrationFactors factors, double scale)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return new CalibrationFactors([.. Enum.GetValues<TimeTerm>().Select(t => factors[t] * scale)], factors.Spread, factors.IsCalibrated, factors.Basis);
    }
}
