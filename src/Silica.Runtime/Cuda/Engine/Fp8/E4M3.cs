namespace Silica.Runtime.Cuda.Engine.Fp8;

/// <summary>
/// FP8 E4M3 (the "FN" variant: no infinities, 0x7F/0xFF are NaN, largest finite 448) with round-to-nearest-even and
/// saturation, on the host. The device kernels use the same algorithm so both sides agree bit for bit.
/// </summary>
internal static class E4M3
{
    public const float Max = 448f;

    public static byte Encode(float f)
    {
        byte sign = (byte)(float.IsNegative(f) ? 0x80 : 0);
        var a = MathF.Abs(f);
        if (float.IsNaN(a))
        {
            return 0x7F;
        }
        if (a >= Max)
        {
            return (byte)(sign | 0x7E);
        }
        if (a < 0.0009765625f)
        {
            // Below half the smallest subnormal (2^-9): rounds to zero.
            return sign;
        }
        var e = (int)Math.Floor(Math.Log2(a));
        if (Math.ScaleB(1.0, e) > a)
        {
            e--;
        }
        else if (Math.ScaleB(1.0, e + 1) <= a)
        {
            e++;
        }
        if (e < -6)
        {
            // Subnormal: multiples of 2^-9; a carry to 8 is exactly the smallest normal's code.
            return (byte)(sign | (int)Math.Round(a * 512.0, MidpointRounding.ToEven));
        }
        var q = (int)Math.Round((a / Math.ScaleB(1.0, e) - 1.0) * 8.0, MidpointRounding.ToEven);
        if (q == 8)
        {
            q = 0;
            e++;
        }
        if (e > 8)
        {
            return (byte)(sign | 0x7E);
        }
        var code = ((e + 7) << 3) | q;
        return (byte)(sign | Math.Min(code, 0x7E));
    }

    public static float Decode(byte b)
    {
        var sign = (b & 0x80) != 0 ? -1f : 1f;
        var e = (b >> 3) & 0xF;
        var m = b & 7;
        if (e == 0xF && m == 7)
        {
            return float.NaN;
        }
        return e == 0 ? sign * m / 512f : sign * (1f + (m / 8f)) * MathF.ScaleB(1f, e - 7);
    }

    /// <summary>The device-side encoder, matching <see cref="Encode"/>; header-free CUDA C.</summary>
    public const string DeviceEncoder = """
        static __device__ __forceinline__ unsigned char silica_e4m3(float f)
        {
            unsigned char s = signbit(f) ? 0x80 : 0;
            float a = fabsf(f);
            if (!(a == a)) return 0x7F;
            if (a >= 448.f) return s | 0x7E;
            if (a < 0.0009765625f) return s;
            int e;
            float m = frexpf(a, &e);   /* a = m * 2^e, m in [0.5, 1) */
            e -= 1;                    /* a = (2m) * 2^e */
            if (e < -6) return s | (unsigned char)rintf(a * 512.f);
            float q = rintf((2.f * m - 1.f) * 8.f);
            if (q >= 8.f) { q = 0.f; e++; }
            if (e > 8) return s | 0x7E;
            int code = ((e + 7) << 3) | (int)q;
            return s | (unsigned char)(code > 0x7E ? 0x7E : code);
        }
        """;
}
