namespace Silica.Runtime.Conformance;

/// <summary>
/// How far an actual tensor is from an expected one. Two views: element-wise (what ONNX's own test runner
/// checks, <c>|a−e| ≤ atol + rtol·|e|</c>) and whole-tensor (error relative to the tensor's peak magnitude,
/// and cosine similarity), which is the fair measure for reduced precisions where tiny elements carry large
/// relative noise.
/// </summary>
/// <param name="ElementCount">Elements compared.</param>
/// <param name="MaxAbsoluteError">Largest <c>|a−e|</c>.</param>
/// <param name="MaxRelativeError">Largest <c>|a−e| / |e|</c> over elements with <c>e ≠ 0</c>.</param>
/// <param name="PeakRelativeError">Largest <c>|a−e|</c> divided by the largest <c>|e|</c> (0 when both are all zero).</param>
/// <param name="Cosine">Cosine similarity of the two tensors as vectors (1 when both are all zero).</param>
/// <param name="Mismatches">Elements outside the <see cref="Compare"/> tolerance (NaN versus a number counts).</param>
public sealed record TensorComparison(long ElementCount, double MaxAbsoluteError, double MaxRelativeError, double PeakRelativeError, double Cosine, long Mismatches)
{
    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>, counting elements outside <c>atol + rtol·|e|</c>.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static TensorComparison Compare(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double relativeTolerance = 0, double absoluteTolerance = 0)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"{actual.Length} actual values against {expected.Length} expected", nameof(actual));
        }
        double maxAbs = 0, maxRel = 0, peak = 0, dot = 0, na = 0, ne = 0;
        long mismatches = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            double a = actual[i], e = expected[i];
            if (double.IsNaN(a) || double.IsNaN(e) || double.IsInfinity(a) || double.IsInfinity(e))
            {
                // Non-finite values match only themselves (NaN = NaN, +inf = +inf), as numpy's allclose(equal_nan=True).
                var same = (double.IsNaN(a) && double.IsNaN(e)) || a == e;
                if (!same)
                {
                    mismatches++;
                    maxAbs = maxRel = double.PositiveInfinity;
                }
                continue;
            }
            var diff = Math.Abs(a - e);
            maxAbs = Math.Max(maxAbs, diff);
            if (e != 0)
            {
                maxRel = Math.Max(maxRel, diff / Math.Abs(e));
            }
            if (diff > absoluteTolerance + relativeTolerance * Math.Abs(e))
            {
                mismatches++;
            }
            peak = Math.Max(peak, Math.Abs(e));
            dot += a * e;
            na += a * a;
            ne += e * e;
        }
        var peakRel = peak > 0 ? maxAbs / peak : maxAbs > 0 ? double.PositiveInfinity : 0;
        var cosine = na == 0 && ne == 0 ? 1 : na == 0 || ne == 0 ? 0 : dot / (Math.Sqrt(na) * Math.Sqrt(ne));
        return new TensorComparison(actual.Length, maxAbs, maxRel, peakRel, cosine, mismatches);
    }

    /// <summary>Combines per-output comparisons into one: worst errors, lowest cosine, summed counts.</summary>
    public static TensorComparison Worst(IEnumerable<TensorComparison> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        TensorComparison? w = null;
        foreach (var p in parts)
        {
            w = w is null ? p : new TensorComparison(
                w.ElementCount + p.ElementCount,
                Math.Max(w.MaxAbsoluteError, p.MaxAbsoluteError),
                Math.Max(w.MaxRelativeError, p.MaxRelativeError),
                Math.Max(w.PeakRelativeError, p.PeakRelativeError),
                Math.Min(w.Cosine, p.Cosine),
                w.Mismatches + p.Mismatches);
        }
        return w ?? new TensorComparison(0, 0, 0, 0, 1, 0);
    }
}
