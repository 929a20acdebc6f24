namespace Silica.Advisor.Report;

/// <summary>How an <see cref="Axis"/> maps values to pixels.</summary>
internal enum AxisScale
{
    /// <summary>Evenly spaced values.</summary>
    Linear,

    /// <summary>Decades evenly spaced; ticks at 1, 2, 5, 10... or, over many decades, at decades only.</summary>
    Log10,

    /// <summary>Doublings evenly spaced; ticks at powers of two (batch sizes).</summary>
    Log2,
}

/// <summary>
/// One chart axis: a value domain, a scale and the pixel span it maps onto. Values a log axis cannot show
/// (zero, negative, non-finite) map to the axis's low end rather than to NaN.
/// </summary>
internal sealed class Axis
{
    // Beyond this many labels a log axis reads as a ruler; fall back to decades.
    private const int MaxLogTicks = 10;

    private readonly double _from;
    private readonly double _to;

    private Axis(double min, double max, AxisScale scale, double pixelFrom, double pixelTo)
    {
        Min = min;
        Max = max;
        Scale = scale;
        _from = pixelFrom;
        _to = pixelTo;
    }

    /// <summary>Smallest value on the axis.</summary>
    public double Min { get; }

    /// <summary>Largest value on the axis.</summary>
    public double Max { get; }

    /// <summary>How values map to pixels.</summary>
    public AxisScale Scale { get; }

    /// <summary>
    /// An axis that holds every plottable value in <paramref name="values"/>, padded by
    /// <paramref name="padFraction"/> of the span on each side (in log space for log axes).
    /// </summary>
    public static Axis Fit(IEnumerable<double> values, AxisScale scale, double pixelFrom, double pixelTo, double padFraction = 0.05)
    {
        var plottable = values.Where(v => IsPlottable(v, scale)).ToList();
        if (scale == AxisScale.Linear)
        {
            var (lo, hi) = plottable.Count == 0 ? (0.0, 1.0) : (plottable.Min(), plottable.Max());
            if (hi - lo <= Math.Abs(hi) * 1e-9)
            {
                (lo, hi) = hi == 0 ? (-1.0, 1.0) : (lo - (Math.Abs(lo) * 0.1), hi + (Math.Abs(hi) * 0.1));
            }

            var pad = (hi - lo) * padFraction;
            return new Axis(lo - pad, hi + pad, scale, pixelFrom, pixelTo);
        }

        var b = scale == AxisScale.Log2 ? 2.0 : 10.0;
        var (logLo, logHi) = plottable.Count == 0 ? (0.0, 1.0) : (plottable.Min(v => Math.Log(v, b)), plottable.Max(v => Math.Log(v, b)));
        if (logHi - logLo < 1e-9)
        {
            (logLo, logHi) = (logLo - 0.5, logHi + 0.5);
        }

        var logPad = (logHi - logLo) * padFraction;
        return new Axis(Math.Pow(b, logLo - logPad), Math.Pow(b, logHi + logPad), scale, pixelFrom, pixelTo);
    }

    /// <summary>A linear axis over exactly [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Axis Linear(double min, double max, double pixelFrom, double pixelTo) =>
        new(min, max > min ? max : min + 1, AxisScale.Linear, pixelFrom, pixelTo);

    /// <summary>Whether <paramref name="value"/> can be drawn on an axis of this scale.</summary>
    public static bool IsPlottable(double value, AxisScale scale) =>
        double.IsFinite(value) && (scale == AxisScale.Linear || value > 0);

    /// <summary>The pixel of <paramref name="value"/>; never NaN, and at most a little outside the axis.</summary>
    public double Map(double value)
    {
        double t;
        if (!IsPlottable(value, Scale))
        {
            t = 0;
        }
        else if (Scale == AxisScale.Linear)
        {
            t = (value - Min) / (Max - Min);
        }
        else
        {
            t = (Math.Log(value) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min));
        }

        t = double.IsFinite(t) ? Math.Clamp(t, -0.05, 1.05) : 0;
        return _from + (t * (_to - _from));
    }

    /// <summary>Tick values inside the axis: about five "nice" ones for linear, decades or doublings for log.</summary>
    public IReadOnlyList<double> Ticks() => Scale switch
    {
        AxisScale.Log10 => Log10Ticks(),
        AxisScale.Log2 => Log2Ticks(),
        _ => LinearTicks(Min, Max, 5),
    };

    private bool Inside(double v) => v >= Min * (1 - 1e-9) && v <= Max * (1 + 1e-9);

    private List<double> Log10Ticks()
    {
        var first = (int)Math.Floor(Math.Log10(Min));
        var last = (int)Math.Ceiling(Math.Log10(Max));

        // 1-2-5 steps where they fit: decades alone leave a short log axis with two or three labels.
        var steps = Enumerable.Range(first, last - first + 1)
            .SelectMany(e => new[] { 1.0, 2.0, 5.0 }.Select(m => m * Math.Pow(10, e)))
            .Where(Inside)
            .ToList();
        if (steps.Count is >= 2 and <= MaxLogTicks)
        {
            return steps;
        }

        var exponents = Enumerable.Range(first, last - first + 1).Where(e => Inside(Math.Pow(10, e))).ToList();
        if (exponents.Count >= 2)
        {
            // Every n-th decade, on multiples of n so that 1 stays a tick: 1e-6, 1e-3, 1, 1e3.
            var stride = (exponents.Count + MaxLogTicks - 1) / MaxLogTicks;
            return exponents.Where(e => e % stride == 0).Select(e => Math.Pow(10, e)).ToList();
        }

        return LinearTicks(Min, Max, 4).Where(v => v > 0).ToList();
    }

    private List<double> Log2Ticks()
    {
        var first = (int)Math.Ceiling(Math.Log2(Min) - 1e-9);
        var last = (int)Math.Floor(Math.Log2(Max) + 1e-9);
        var count = Math.Max(0, last - first + 1);
        var stride = count > 10 ? 2 : 1;
        return Enumerable.Range(first, count).Where(e => (e - first) % stride == 0).Select(e => Math.Pow(2, e)).ToList();
    }

    private static List<double> LinearTicks(double min, double max, int target)
    {
        var step = NiceStep((max - min) / target);
        if (!(step > 0) || !double.IsFinite(step))
        {
            return [min, max];
        }

        var ticks = new List<double>();
        for (var v = Math.Ceiling(min / step) * step; v <= max + (step * 1e-9) && ticks.Count < 50; v += step)
        {
            ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : Math.Round(v, 12));
        }

        return ticks;
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var f = rough / magnitude;
        // Nearest of 1, 2, 5, 10 (geometrically), so about `target` ticks rather than at most that many.
        var nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * magnitude;
    }
}
