namespace Silica.Optimization.Data;

/// <summary>
/// Calibration or evaluation data: samples in a fixed order, with where they came from. Synthetic data is
/// labelled so, because calibration on it is weaker and every report says so.
/// </summary>
/// <param name="Samples">The samples.</param>
/// <param name="Source">Where they came from, for reports (a folder, "synthetic (seed 1)", "rendered OCR lines").</param>
/// <param name="IsSynthetic">True when the inputs were generated rather than read from real data.</param>
public sealed record SampleSet(IReadOnlyList<Sample> Samples, string Source, bool IsSynthetic);
