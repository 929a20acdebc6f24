namespace Silica.Optimization.Calibration;

/// <summary>
/// TensorRT's entropy calibration ("8-bit Inference with TensorRT", GTC 2017; the same search as MXNet's
/// <c>_get_optimal_threshold</c>, ONNX Runtime's <c>get_entropy_threshold</c> and pytorch-quantization's
/// <c>_compute_amax_entropy</c>) on a histogram of <c>|x|</c>: for each candidate threshold, the bin edge i from
/// <c>levels</c> up to the histogram's end, the reference P is the first i bins with the clipped tail folded into
/// the last one; Q merges the same i bins (without the tail) into <c>levels</c> quantization steps and spreads
/// each step's count evenly over the bins where P is non-zero; the threshold with the smallest KL(P‖Q) wins.
/// </summary>
/// <remarks>
/// Exact zeros are not in the histogram (<see cref="TensorStatistics"/> counts them apart, as ncnn's calibrator
/// skips them): every threshold represents 0 exactly, but left in, the spike of a ReLU output (or of a
/// squeeze-excite gate, 57–69% zeros on the PP-OCRv4 recognizer) dominates P, and merging it with its
/// neighbours made every wider candidate look worse, so the search stopped at the narrowest one. Other point
/// masses are flattened for the same reason (<see cref="FlattenSpikes"/>), and <see cref="RangeSelector"/> searches
/// each sign on its own histogram.
/// What the criterion does by design: it weighs values by how often they occur, so a small far cluster costs
/// little next to resolution in a dense bulk near 0. On the PP-OCRv4 recognizer one tensor shows it: a
/// squeeze-excite output feeding a Conv (92% of its positive values below 0.13, 0.6% in a cluster at 2.4–2.7)
/// is clipped at 1.28 (99.99th percentile: 2.67), here and in MXNet's reference search alike, and that one
/// tensor costs about 18 points of character accuracy. As with TensorRT and ONNX Runtime, such a layer is kept in
/// higher precision (<c>--accuracy-budget</c>) or calibrated with another method, not silently re-ranged here.
/// </remarks>
internal static class EntropyCalibration
{
    /// <summary>
    /// Count given to a bin of Q that is empty where P is not: the <c>smooth_distribution</c> epsilon of
    /// MXNet and ONNX Runtime, in counts. A large but finite penalty, so such candidates still rank.
    /// </summary>
    private const double Epsilon = 1e-4;

    /// <summary>Neighbours on each side a bin is compared with to tell a point mass (<see cref="FlattenSpikes"/>).</summary>
    private const int SpikeRadius = 8;

    /// <summary>How many times its neighbours' median a bin must hold to count as a point mass.</summary>
    private const double SpikeFactor = 3;

    /// <summary>The neighbours' median below which a histogram counts as sparse and keeps its peaks.</summary>
    private const long SpikeMinimumMedian = 16;

    /// <summary>The chosen threshold: the upper edge of the last kept bin.</summary>
    /// <param name="hist">Counts of <c>|x|</c> per bin, bin k covering <c>[k, k + 1) · binWidth</c>.</param>
    /// <param name="binWidth">Width of one bin.</param>
    /// <param name="levels">
    /// Quantization steps between 0 and the threshold (128 for a symmetric int8 grid, 255 for a uint8 grid over
    /// a non-negative tensor). A candidate narrower than this many bins would resolve the histogram exactly,
    /// so the search starts there.
    /// </param>
    public static double Threshold(long[] hist, double binWidth, int levels) => BestBins(hist, levels) * binWidth;

    /// <summary>The number of leading bins to keep.</summary>
    internal static int BestBins(long[] hist, int levels)
    {
        hist = FlattenSpikes(hist);
        var bins = hist.Length;
        // The last non-empty bin: candidates past it equal it, and ties go to the widest (below), so stop there.
        var last = bins;
        while (last > 0 && hist[last - 1] == 0)
        {
            last--;
        }
        if (last <= levels)
        {
            return Math.Max(last, 1);
        }
        var suffix = new double[bins + 1];
        for (var k = bins - 1; k >= 0; k--)
        {
            suffix[k] = suffix[k + 1] + hist[k];
        }
        var bestDivergence = double.PositiveInfinity;
        var bestBins = last;
        var p = new double[last];
        var q = new double[last];
        for (var i = levels; i <= last; i++)
        {
            for (var k = 0; k < i; k++)
            {
                p[k] = hist[k];
            }
            p[i - 1] += suffix[i];
            Expand(hist, p, q, i, levels);
            var d = KlDivergence(p.AsSpan(0, i), q.AsSpan(0, i));
            // `<=`: among equal divergences keep the widest candidate (pytorch-quantization's last argmin), so a
            // flat stretch of the curve never clips for nothing.
            if (d <= bestDivergence)
            {
                bestDivergence = d;
                bestBins = i;
            }
        }
        return bestBins;
    }

    /// <summary>
    /// Replaces each bin holding more than <see cref="SpikeFactor"/> times the median of its
    /// <see cref="SpikeRadius"/> neighbours on each side with that median.
    /// </summary>
    /// <remarks>
    /// Such a spike is a point mass: one value repeated, from a region of constant input (an image's padding or
    /// flat background gives every channel one exact response there). Like the zero spike, any grid maps it to a
    /// single code, but Q spreads a step's count evenly over its non-empty bins, so a step that holds a spike and
    /// its neighbours scores as a large loss; the search then narrows the range until spikes sit alone in their
    /// steps, clipping the values that carry the signal. Measured on the PP-OCRv4 recognizer (rendered lines padded
    /// to width 480): the stem output was clipped at 3.2 of 23.6 (99.99th percentile 17.3), the first depthwise
    /// output at 1.7 of 13.2 (percentile 9.3); with the spikes flattened the same search keeps 16.6 and 10.0.
    /// pytorch-quantization treats the zero spike the same way (its first bin is set to the second's count).
    /// </remarks>
    internal static long[] FlattenSpikes(long[] hist)
    {
        var flat = (long[])hist.Clone();
        var window = new List<long>(2 * SpikeRadius);
        for (var k = 0; k < hist.Length; k++)
        {
            window.Clear();
            for (var j = Math.Max(0, k - SpikeRadius); j <= Math.Min(hist.Length - 1, k + SpikeRadius); j++)
            {
                if (j != k)
                {
                    window.Add(hist[j]);
                }
            }
            if (window.Count == 0)
            {
                continue;
            }
            window.Sort();
            var median = window[window.Count / 2];
            // A sparse histogram (a small tensor, or an input of 8-bit pixels with few distinct values) has empty
            // or near-empty neighbourhoods: its isolated bins are the data, not point masses on a density.
            if (median >= SpikeMinimumMedian && hist[k] > SpikeFactor * median)
            {
                flat[k] = median;
            }
        }
        return flat;
    }

    /// <summary>
    /// Q for a candidate of <paramref name="kept"/> bins: bin k falls in step <c>k · levels / kept</c>; each step's
    /// count (of the unclipped histogram, so the folded tail is what Q lacks) is spread evenly over the bins of
    /// the step where P is non-zero.
    /// </summary>
    private static void Expand(long[] hist, double[] p, double[] q, int kept, int levels)
    {
        var begin = 0;
        for (var level = 0; level < levels; level++)
        {
            var end = (int)((long)(level + 1) * kept / levels);
            double sum = 0;
            var nonEmpty = 0;
            for (var k = begin; k < end; k++)
            {
                sum += hist[k];
                nonEmpty += p[k] != 0 ? 1 : 0;
            }
            var share = nonEmpty == 0 ? 0 : sum / nonEmpty;
            for (var k = begin; k < end; k++)
            {
                q[k] = p[k] != 0 ? share : 0;
            }
            begin = end;
        }
    }

    /// <summary>
    /// KL(P‖Q) of two unnormalised histograms of the same length; bins where P is 0 contribute nothing, and a
    /// bin where Q is 0 under P &gt; 0 counts as <see cref="Epsilon"/> (the smoothing of the reference tools).
    /// </summary>
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
            var qk = Math.Max(q[k], Epsilon) / sq;
            d += pk * Math.Log(pk / qk);
        }
        return d;
    }
}
