namespace Silica.Advisor;

/// <summary>Where a comparison is: the stage in words and the share of the whole job done (0 to 1).</summary>
/// <param name="Stage">E.g. "measuring batch 4 here" or "simulating 12/72 targets".</param>
/// <param name="Fraction">Share done.</param>
public sealed record CompareProgress(string Stage, double Fraction);
