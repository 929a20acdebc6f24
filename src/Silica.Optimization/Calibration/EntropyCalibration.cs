namespace Silica.Optimization.Calibration;

/// <summary>
/// TensorRT's entropy calibration: for each candidate clipping threshold (bin edge i from <c>levels</c> up to
/// the histogram's end), fold the clipped tail into the last kept bin (P), requantize the kept bins into
/// <c>levels</c> buckets and expand back (Q), and keep the threshold with the smallest KL(P‖Q).
/// </summary>
internal static class EntropyCalibration
{
    public static double Threshold(long[] hist, double binWidth, int levels)
    {
        // The first bin is left out of the divergence. After a ReLU (or in a squeeze-excite gate) most values are
        // exactly 0, which every threshold represents exactly; left in, that spike dominates P, and merging it with
        // its neighbours makes every wider candidate look worse, so the search always stopped at the narrowest one
        // (measured on the PP-OCRv4 recognizer: ReLU outputs with 57-69% zeros clipped to 12.5% of their range,
        // and the recognizer then read nothing).
        hist = (long[])hist.Clone();
        hist[0] = 0;
        var bins = hist.Length;
        if (levels >= bins)
        {
            return bins * binWidth;
        }
        var bestDivergence = double.PositiveInfinity;
        var bestIndex = bins;
        var p = new double[bins];
        var q = new double[bins];
        // A stride keeps the search at ~128 candidates (each O(bins)); thresholds closer than 1/128 of the
        // range apart quantize alike.
        var stride = Math.Max(1, (bins - levels) / 128);
        for (var i = levels; i <= bins; i += stride)
        {
            double tail = 0;
            for (var k = i; k < bins; k++)
            {
                tail += hist[k];
            }
            for (var k = 0; k < i; k++)
            {
                p[k] = hist[k];
            }
            p[i - 1] += tail;
            // Q: merge the i kept bins into `levels` buckets, spread each bucket evenly over its non-empty bins.
            for (var level = 0; level < levels; level++)
            {
                var start = level * i / levels;
                var end = (level + 1) * i / levels;
                double sum = 0;
                var nonEmpty = 0;
                for (var k = start; k < end; k++)
                {
                    sum += hist[k];
                    nonEmpty += hist[k] != 0 ? 1 : 0;
                }
                for (var k = start; k < end; k++)
                {
                    q[k] = hist[k] != 0 ? sum / nonEmpty : 0;
                }
            }
            var d = KlDivergence(p.AsSpan(0, i), q.AsSpan(0, i));
            if (d < bestDivergence)
            {
                bestDivergence = d;
                bestIndex = i;
            }
        }
        return bestIndex * binWidth;
    }

    /// <summary>KL(P‖Q) of two unnormalised histograms; bins where P is 0 contribute nothing, Q = 0 under P &gt; 0 is smoothed.</summary>
    internal static double KlDivergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sp = 0, sq = 0;
        for (var k = 0; k < p.Length; k++)
        {
            sp += p[k];
            sq += q[k];
        }
        if (sp == 0 || sq == 0)
        {
            return double.PositiveInfinity;
        }
        double d = 0;
        for (var k = 0; k < p.Length; k++)
        {
            if (p[k] == 0)
            {
                continue;
            }
            var pk = p[k] / sp;
            var qk = Math.Max(q[k] / sq, 1e-12);
            d += pk * Math.Log(pk / qk);
        }
        return d;
    }
}
