namespace Silica.Runtime.Generation;

/// <summary>One prompt to complete.</summary>
/// <param name="RequestId">Caller's id, carried into traces and logs.</param>
/// <param name="PromptTokens">The prompt, already tokenized (at least one token).</param>
/// <param name="Sampling">How to sample and when to stop.</param>
public sealed record GenerationRequest(string RequestId, IReadOnlyList<int> PromptTokens, SamplingOptions Sampling);
