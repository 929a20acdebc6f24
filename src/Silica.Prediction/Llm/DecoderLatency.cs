namespace Silica.Prediction.Llm;

/// <summary>
/// Predicted time to first token and time per output token of a static batch on one replica, each with its 90% band,
/// plus what it rests on. Every figure here is predicted, none measured.
/// </summary>
/// <param name="Batch">Sequences served together.</param>
/// <param name="PromptTokens">Prompt length of each.</param>
/// <param name="OutputTokens">Tokens generated for each.</param>
/// <param name="TtftSeconds">Time to first token: the batched prefill (all prompts arrive together).</param>
/// <param name="TtftLowSeconds">Low end of the TTFT band.</param>
/// <param name="TtftHighSeconds">High end of the TTFT band.</param>
/// <param name="TpotSeconds">Mean time per output token after the first, over the decode steps.</param>
/// <param name="TpotLowSeconds">Low end of the TPOT band.</param>
/// <param name="TpotHighSeconds">High end of the TPOT band.</param>
/// <param name="PrefillBound">Whether prefill is <c>compute</c> or <c>memory</c> bound.</param>
/// <param name="DecodeBound">Whether the first decode step is <c>compute</c> or <c>memory</c> bound.</param>
/// <param name="CommunicationShare">Share of a decode step spent in all-reduces (0 without tensor parallelism).</param>
/// <param name="Memory">Weights + KV of batch × (prompt + output) against the replica's usable memory.</param>
/// <param name="Basis">In words: the model, its priors, calibrated or not.</param>
public sealed record DecoderLatency(
    int Batch,
    int PromptTokens,
    int OutputTokens,
    double TtftSeconds,
    double TtftLowSeconds,
    double TtftHighSeconds,
    double TpotSeconds,
    double TpotLowSeconds,
    double TpotHighSeconds,
    string PrefillBound,
    string DecodeBound,
    double CommunicationShare,
    DecoderMemory Memory,
    string Basis)
{
    /// <summary>Output tokens per second of the replica while decoding this batch.</summary>
    public double DecodeTokensPerSecond => Batch / TpotSeconds;

    /// <summary>End-to-end time of one request: TTFT plus (output − 1) × TPOT.</summary>
    public double EndToEndSeconds => TtftSeconds + (Math.Max(0, OutputTokens - 1) * TpotSeconds);
}
