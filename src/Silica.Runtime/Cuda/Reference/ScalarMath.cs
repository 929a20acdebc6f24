using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

/// <summary>Scalar functions the reference needs that System.Math lacks (erf) and the fused epilogue activations.</summary>
internal static class ScalarMath
{
    public static float Activate(float x, Activation activation, float clipMin, float clipMax) => activation switch
    {
        Activation.None => x,
        Activation.Relu => x > 0 ? x : 0,
        Activation.GeluErf => (float)(x * 0.5 * (1 + Erf(x / Math.Sqrt(2)))),
        Activation.Clip => Math.Min(Math.Max(x, clipMin), clipMax),
        _ => throw new NotSupportedException($"activation {activation}"),
    };

    /// <summary>
    /// erf to ~1e-13: the Maclaurin series below 3 (its terms peak near 1e4, so ~4 of 16 digits are lost), the
    /// continued fraction of erfc above, where the series would lose too much.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        var a = Math.Abs(x);
        double r;
        if (a < 3)
        {
            // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
            double sum = 0, term = a, n = 0;
            while (Math.Abs(term) > 1e-17 * Math.Max(Math.Abs(sum), 1e-300) || n < 2)
            {
                sum += term / ((2 * n) + 1);
                n++;
                term *= -a * a / n;
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else if (a > 6)
        {
            r = 1;
        }
        else
        {
            // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from the tail.
            double fraction = a;
            for (var k = 60; k >= 1; k--)
            {
                fraction = a + (k / 2.0 / fraction);
            }
            r = 1 - (Math.Exp(-a * a) / Math.Sqrt(Math.PI) / fraction);
        }
        return x < 0 ? -r : r;
    }
}
