namespace Silica.Prediction;

/// <summary>
/// Fits the per-term multipliers of the roofline prior to measured run times by least squares on relative error,
/// ridge-regularised toward an anchor (1 = the prior, or factors fitted on other models) so that a term the
/// measurements barely exercise keeps its anchor, and bounded to
/// [<see cref="MinFactor"/>, <see cref="MaxFactor"/>].
/// </summary>
public static class Calibrator
{
    /// <summary>Smallest factor allowed: the prior may be 50x too slow, not more.</summary>
    public const double MinFactor = 0.02;

    /// <summary>Largest factor allowed: the prior may be 50x too fast, not more.</summary>
    public const double MaxFactor = 50;

    /// <summary>
    /// Weight of the pull toward 1, relative to one observation's squared relative error. Small: measurements win
    /// wherever they say something.
    /// </summary>
    public const double Ridge = 0.02;

    /// <summary>
    /// Smallest spread reported after calibration: run-to-run variation on a shared machine (two identical runs came out
    /// 5.5% apart, docs/perf.md §5) bounds how well any fit can predict the next run.
    /// </summary>
    public const double MinSpread = 0.08;

    /// <summary>
    /// Fits factors to <paramref name="observations"/>, pulled toward <paramref name="anchor"/> (all 1 when null); their
    /// spread is the fit's RMS log error (at least <see cref="MinSpread"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No observations, or a measured time that is not positive.</exception>
    public static CalibrationFactors Fit(IReadOnlyList<Observation> observations, string basis, CalibrationFactors? anchor = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            throw new ArgumentException("calibration needs at least one measurement", nameof(observations));
        }
        if (observations.Any(o => !(o.MeasuredSeconds > 0) || !double.IsFinite(o.MeasuredSeconds)))
        {
            throw new ArgumentException("measured times must be positive", nameof(observations));
        }
        var k = Enum.GetValues<TimeTerm>().Length;
        var rows = observations.Select(o => o.Terms.ToVector().Select(x => x / o.MeasuredSeconds).ToArray()).ToArray();
        var center = Enum.GetValues<TimeTerm>().Select(t => anchor?[t] ?? 1.0).ToArray();
        var fixedAt = new double?[k];
        // A term absent from every observation cannot be fitted: it keeps its anchor exactly.
        for (var j = 0; j < k; j++)
        {
            if (rows.All(r => r[j] == 0))
            {
                fixedAt[j] = center[j];
            }
        }
        double[] f = [.. center];
        while (true)
        {
            // The pull toward the anchor is relative to the factor's size (re-solved a few times), so it is about as
            // strong for a prior that is 100x off as for one 10% off: measurements that speak clearly win.
            for (var iteration = 0; iteration < 6; iteration++)
            {
                var scale = f.Select((x, j) => Math.Max(Math.Abs(x), center[j])).ToArray();
                f = Solve(rows, fixedAt, center, scale);
            }
            var violated = false;
            for (var j = 0; j < k; j++)
            {
                if (fixedAt[j] is null && (f[j] < MinFactor || f[j] > MaxFactor))
                {
                    fixedAt[j] = Math.Clamp(f[j], MinFactor, MaxFactor);
                    violated = true;
                }
            }
            if (!violated)
            {
                break;
            }
        }
        var logErrors = observations.Select(o => Math.Log(Predict(o.Terms, f) / o.MeasuredSeconds)).ToArray();
        var rms = Math.Sqrt(logErrors.Sum(e => e * e) / logErrors.Length);
        return new CalibrationFactors(f, Math.Max(MinSpread, rms), calibrated: true, basis);
    }

    /// <summary>Root-mean-square relative error (%) of <paramref name="factors"/> over <paramref name="observations"/>.</summary>
    public static double RmsPercentError(IReadOnlyList<Observation> observations, CalibrationFactors factors)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(factors);
        if (observations.Count == 0)
        {
            return 0;
        }
        var sum = observations.Sum(o => Math.Pow((o.Terms.Total(factors) / o.MeasuredSeconds) - 1, 2));
        return 100 * Math.Sqrt(sum / observations.Count);
    }

    private static double Predict(PredictionTerms terms, double[] f)
    {
        var v = terms.ToVector();
        return v.Select((x, j) => x * f[j]).Sum();
    }

    /// <summary>Minimises Σ(row·f − 1)² + ridge·Σ((f − c)/s)² over the free factors, the fixed ones held.</summary>
    private static double[] Solve(double[][] rows, double?[] fixedAt, double[] center, double[] scale)
    {
        var k = fixedAt.Length;
        var free = Enumerable.Range(0, k).Where(j => fixedAt[j] is null).ToArray();
        var f = new double[k];
        for (var j = 0; j < k; j++)
        {
            f[j] = fixedAt[j] ?? 1.0;
        }
        if (free.Length == 0)
        {
            return f;
        }
        var n = free.Length;
        var a = new double[n, n];
        var b = new double[n];
        foreach (var row in rows)
        {
            // Target for the free part: 1 minus what the fixed terms already explain.
            var target = 1.0 - Enumerable.Range(0, k).Where(j => fixedAt[j] is not null).Sum(j => row[j] * fixedAt[j]!.Value);
            for (var p = 0; p < n; p++)
            {
                b[p] += row[free[p]] * target;
                for (var q = 0; q < n; q++)
                {
                    a[p, q] += row[free[p]] * row[free[q]];
                }
            }
        }
        for (var p = 0; p < n; p++)
        {
            var c = center[free[p]];
            var s = scale[free[p]];
            a[p, p] += Ridge / (s * s);
            b[p] += Ridge * c / (s * s);
        }
        var x = LinearSystem.Solve(a, b);
        for (var p = 0; p < n; p++)
        {
            f[free[p]] = x[p];
        }
        return f;
    }
}
