namespace Silica.Optimization.Quantization;

/// <summary>The arithmetic of INT8 quantization parameters.</summary>
internal static class Int8Math
{
    /// <summary>
    /// uint8 asymmetric parameters for a range (which must contain 0): 256 levels over <c>[min, max]</c>, the
    /// zero point where 0 falls. A degenerate (all-zero) range gets scale 1 so the graph stays valid.
    /// </summary>
    public static (float Scale, byte ZeroPoint) UInt8Asymmetric(double min, double max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        var scale = (max - min) / 255.0;
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            return (1f, 0);
        }
        var zp = Math.Clamp(Math.Round(-min / scale, MidpointRounding.ToEven), 0, 255);
        return ((float)scale, (byte)zp);
    }

    /// <summary>
    /// Symmetric int8 per-channel quantization of a weight along <paramref name="axis"/>: per channel
    /// scale = max|w| / 127, values in [-127, 127] (−128 unused, so negation never overflows).
    /// </summary>
    public static (sbyte[] Values, float[] Scales) PerChannelSymmetric(float[] weights, long[] dims, int axis)
    {
        var channels = (int)dims[axis];
        long inner = 1;
        for (var d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }
        var absMax = new float[channels];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = (int)(i / inner % channels);
            absMax[c] = Math.Max(absMax[c], Math.Abs(weights[i]));
        }
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            scales[c] = absMax[c] > 0 ? absMax[c] / 127f : 1f;
        }
        var q = new sbyte[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = (int)(i / inner % channels);
            q[i] = (sbyte)Math.Clamp(MathF.Round(weights[i] / scales[c], MidpointRounding.ToEven), -127, 127);
        }
        return (q, scales);
    }

    /// <summary>A bias in int32 with per-channel scale <c>input scale × weight scale</c>, the form integer kernels add directly.</summary>
    public static (int[] Values, float[] Scales) Bias(float[] bias, float inputScale, float[] weightScales)
    {
        var values = new int[bias.Length];
        var scales = new float[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            values[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }
        return (values, scales);
    }
}
