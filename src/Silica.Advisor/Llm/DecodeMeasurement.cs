namespace Silica.Advisor.Llm;

/// <summary>A decode step timed here: the median over its runs.</summary>
/// <param name="Batch">Sequences per step.</param>
/// <param name="PastTokens">Cached tokens per sequence.</param>
/// <param name="MedianSeconds">Median step time.</param>
/// <param name="Runs">Timed runs.</param>
public sealed record DecodeMeasurement(int Batch, int PastTokens, double MedianSeconds, int Runs);
