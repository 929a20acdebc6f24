namespace Silica.Optimization.Accuracy;

/// <summary>How close one model output of the candidate stays to the original's, over the evaluation set.</summary>
/// <param name="Output">The output's name.</param>
/// <param name="MeanCosine">Cosine similarity of the flattened output, averaged over samples.</param>
/// <param name="MinCosine">The worst sample's cosine similarity.</param>
/// <param name="MaxRelativeError">The largest <c>|candidate - original|</c> over the largest <c>|original|</c>, worst sample.</param>
public sealed record OutputComparison(string Output, double MeanCosine, double MinCosine, double MaxRelativeError);
