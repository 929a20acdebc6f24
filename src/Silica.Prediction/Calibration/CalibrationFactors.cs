namespace Silica.Prediction;

/// <summary>
/// Multipliers on the prior's time per <see cref="TimeTerm"/> (1 = the prior was right) and the log-normal spread of
/// what remains unexplained. <see cref="Prior"/> means "not calibrated": all 1, spread from the device class prior.
/// </summary>
public sealed record CalibrationFactors
{
    private readonly double[] _factors;

    /// <summary>Creates factors in <see cref="TimeTerm"/> order.</summary>
    public CalibrationFactors(IReadOnlyList<double> factors, double spread, bool calibrated, string basis)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Count != Enum.GetValues<TimeTerm>().Length || factors.Any(f => !(f > 0) || !double.IsFinite(f)))
        {
            throw new ArgumentException("one positive finite factor per time term is required", nameof(factors));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(spread);
        _factors = [.. factors];
        Spread = spread;
        IsCalibrated = calibrated;
        Basis = basis;
    }

    /// <summary>Factors of 1 with the prior's <paramref name="spread"/>.</summary>
    public static CalibrationFactors Prior(double spread, string basis) =>
        new(Enumerable.Repeat(1.0, Enum.GetValues<TimeTerm>().Length).ToArray(), spread, false, basis);

    /// <summary>The multiplier of one term.</summary>
    public double this[TimeTerm term] => _factors[(int)term];

    /// <summary>Log-normal sigma of the remaining error; the 90% band is ×exp(±1.645·spread).</summary>
    public double Spread { get; }

    /// <summary>Whether these factors were fitted to measurements.</summary>
    public bool IsCalibrated { get; }

    /// <summary>Where the factors come from, in words.</summary>
    public string Basis { get; }

    /// <summary>The factors by lower-case term name.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary() =>
        Enum.GetValues<TimeTerm>().ToDictionary(t => char.ToLowerInvariant(t.ToString()[0]) + t.ToString()[1..], t => this[t]);

    /// <summary>The factor of the band's ends: exp(1.645·spread) (90% two-sided under a log-normal error).</summary>
    public double BandFactor => Math.Exp(1.645 * Spread);
}
