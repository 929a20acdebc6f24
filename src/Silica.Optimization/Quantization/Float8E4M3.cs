namespace Silica.Optimization.Quantization;

/// <summary>
/// FP8 E4M3FN (OCP): 1 sign, 4 exponent bits (bias 7), 3 mantissa bits, no infinities, largest finite 448.
/// Conversion rounds to nearest even and saturates, as ONNX <c>QuantizeLinear</c> (<c>saturate=1</c>) does.
/// </summary>
internal static class Float8E4M3
{
    /// <summary>The largest finite value.</summary>
    public const float MaxValue = 448f;

    private static readonly float[] Decoded = BuildTable();
    private static readonly Dictionary<float, byte> Encoded = BuildIndex();

    /// <summary>The value a byte encodes (NaN for the two NaN codes).</summary>
    public static float Decode(byte bits) => Decoded[bits];

    /// <summary>The nearest E4M3FN value, saturated to ±448; NaN stays NaN.</summary>
    public static byte Encode(float x)
    {
        if (float.IsNaN(x))
        {
            return 0x7F;
        }
        var sign = x < 0 || (x == 0 && float.IsNegative(x)) ? (byte)0x80 : (byte)0;
        return (byte)(sign | Encoded[RoundMagnitude(Math.Abs(x))]);
    }

    /// <summary><paramref name="x"/> rounded to the E4M3FN grid (what a QuantizeLinear/DequantizeLinear round trip gives with scale 1).</summary>
    public static float Round(float x) => float.IsNaN(x) ? x : MathF.CopySign(RoundMagnitude(Math.Abs(x)), x);

    private static float RoundMagnitude(float a)
    {
        if (a >= MaxValue)
        {
            return MaxValue;
        }
        // Below 2^-6 the grid is the subnormal one, with the same step as the lowest binade: 2^-9.
        var exponent = Math.Max(-6, (int)Math.Floor(Math.Log2(a == 0 ? 1 : a)));
        var step = MathF.ScaleB(1f, exponent - 3);
        var rounded = (float)(Math.Round(a / step, MidpointRounding.ToEven) * step);
        return Math.Min(rounded, MaxValue);
    }

    private static float[] BuildTable()
    {
        var table = new float[256];
        for (var b = 0; b < 256; b++)
        {
            var exponent = (b >> 3) & 0xF;
            var mantissa = b & 0x7;
            float v;
            if (exponent == 0xF && mantissa == 0x7)
            {
                v = float.NaN;
            }
            else if (exponent == 0)
            {
                v = MathF.ScaleB(mantissa / 8f, -6);
            }
            else
            {
                v = MathF.ScaleB(1 + (mantissa / 8f), exponent - 7);
            }
            table[b] = (b & 0x80) != 0 ? -v : v;
        }
        return table;
    }

    private static Dictionary<float, byte> BuildIndex()
    {
        var index = new Dictionary<float, byte>();
        for (var b = 0; b < 0x7F; b++)
        {
            index[Decoded[b]] = (byte)b;
        }
        return index;
    }
}
