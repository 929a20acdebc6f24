using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>
/// <c>silica predict --llm</c>'s answer for one target: the tensor-parallel plan chosen and the predicted TTFT/TPOT of the
/// batch, or, when no plan's memory holds the weights and the batch's KV cache, why not (<see cref="Latency"/> null).
/// </summary>
/// <param name="InstanceId">The catalog instance.</param>
/// <param name="Plan">The plan predicted (the smallest fitting degree, or the one asked for); when nothing fits, the largest tried.</param>
/// <param name="Latency">The prediction; null when it does not fit.</param>
/// <param name="Tried">Every degree considered with its memory need.</param>
public sealed record LlmPrediction(string InstanceId, TensorParallelPlan Plan, DecoderLatency? Latency, IReadOnlyList<TensorParallelPlan> Tried)
{
    /// <summary>Whether some degree's memory holds the weights and the KV cache.</summary>
    public bool Fits => Latency is not null;

    /// <summary>The instance's decode output tokens per second: every replica decoding its batch.</summary>
    public double InstanceDecodeTokensPerSecond => Latency is null ? 0 : Plan.Model.Replica.ReplicasPerInstance * Latency.DecodeTokensPerSecond;
}
