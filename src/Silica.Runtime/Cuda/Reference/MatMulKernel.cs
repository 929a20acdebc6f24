using System.Numerics;

namespace Silica.Runtime.Cuda.Reference;

/// <summary>The inner product loops shared by GEMM and convolution: float multiply-adds, vectorised along N.</summary>
internal static class MatMulKernel
{
    /// <summary>c[0..n) = Σ_k a[aOffset + k] · b[bOffset + k·n + j] for one row of a row-major product.</summary>
    public static void Row(float[] a, int aOffset, int k, float[] b, int bOffset, int n, Span<float> c)
    {
        c[..n].Clear();
        var width = Vector<float>.Count;
        for (var kk = 0; kk < k; kk++)
        {
            var scalar = a[aOffset + kk];
            var row = b.AsSpan(bOffset + (kk * n), n);
            var av = new Vector<float>(scalar);
            var j = 0;
            for (; j <= n - width; j += width)
            {
                var acc = new Vector<float>(c[j..]);
                (acc + (av * new Vector<float>(row[j..]))).CopyTo(c[j..]);
            }
            for (; j < n; j++)
            {
                c[j] += scalar * row[j];
            }
        }
    }

    /// <summary>Copies a [rows, cols] block starting at <paramref name="offset"/>, transposed when asked, into a dense row-major array.</summary>
    public static float[] Pack(float[] source, long offset, long rows, long cols, bool transposed)
    {
        // transposed: the stored matrix is [cols, rows] and we want its transpose.
        var r = checked((int)rows);
        var c = checked((int)cols);
        var packed = new float[r * c];
        var o = checked((int)offset);
        if (!transposed)
        {
            Array.Copy(source, o, packed, 0, r * c);
            return packed;
        }
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < r; j++)
            {
                packed[(j * c) + i] = source[o + (i * r) + j];
            }
        }
        return packed;
    }
}
