using Silica.Hardware;
using Silica.Prediction;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>
/// <c>silica predict &lt;decoder&gt; --llm</c>: TTFT and TPOT of a batch on a catalog target, with the tensor-parallel
/// degree chosen as the smallest whose memory holds the weights and the batch's KV cache (most replicas per instance).
/// </summary>
public static class LlmPredictor
{
    /// <summary>Predicts for a static batch of <paramref name="batch"/> prompts of <paramref name="promptTokens"/> generating <paramref name="outputTokens"/> each.</summary>
    /// <exception cref="ArgumentException">Unknown target, unsupported precision, a bad count, or a degree the instance cannot use.</exception>
    public static LlmPrediction Predict(Catalog catalog, DecoderShape shape, string targetId, NumericFormat precision,
        int batch, int promptTokens, int outputTokens, int? tensorParallel = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(shape);
        if (batch < 1 || promptTokens < 1 || outputTokens < 1)
        {
            throw new ArgumentException("--batch, --prompt-len and --output-len must be at least 1");
        }
        var target = LlmTarget.Resolve(catalog, targetId);
        RequireSupported(target.Device, precision);
        if (shape.ContextLength is { } context && promptTokens + outputTokens > context)
        {
            throw new ArgumentException($"prompt + output = {promptTokens + outputTokens} tokens exceeds {shape.Name}'s context length of {context}");
        }
        var held = (long)batch * (promptTokens + outputTokens);
        var plans = Plans(shape, target, precision, held);
        if (tensorParallel is { } tp)
        {
            plans = [.. plans.Where(p => p.Degree == tp)];
            if (plans.Count == 0)
            {
                throw new ArgumentException($"--tp {tp} is not possible on {target.Instance.Id}: it must divide its {target.Instance.DeviceCount} device(s) and {shape.Name}'s {shape.Heads} heads, and the device needs a link bandwidth in the catalog");
            }
        }
        var chosen = TensorParallelPlan.SmallestFitting(plans);
        if (chosen is null)
        {
            return new LlmPrediction(target.Instance.Id, plans[^1], null, plans);
        }
        var latency = DecoderPredictor.Predict(chosen.Model, batch, promptTokens, outputTokens);
        return new LlmPrediction(target.Instance.Id, chosen, latency, plans);
    }

    internal static IReadOnlyList<TensorParallelPlan> Plans(DecoderShape shape, LlmTarget target, NumericFormat precision, long heldTokens)
    {
        try
        {
            return TensorParallelPlan.Candidates(shape, target.Instance, target.Device, precision, heldTokens);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"cannot predict on {target.Instance.Id}: {e.Message}", e);
        }
    }

    internal static void RequireSupported(DeviceSpec device, NumericFormat precision)
    {
        if (!Precision.IsSupported(device, precision))
        {
            var supported = string.Join(", ", Enum.GetValues<NumericFormat>().Where(f => Precision.IsSupported(device, f)).Select(Precision.Name));
            throw new ArgumentException($"{device.Id} has no {Precision.Name(precision)} path; it supports {supported}");
        }
    }
}
