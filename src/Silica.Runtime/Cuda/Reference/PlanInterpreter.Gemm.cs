using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

internal sealed partial class PlanInterpreter
{
    private void Gemm(GemmStep s)
    {
        var a = Floats(s.A);
        var b = Floats(s.B);
        var bias = FloatsOrNull(s.Bias);
        var residual = s.Residual < 0 ? null : BroadcastTo(Floats(s.Residual), Buf(s.Residual).Shape, Buf(s.Y).Shape);
        var (m, n, k) = (Count(s.M), Count(s.N), Count(s.K));
        var y = new float[Count(Buf(s.Y).ElementCount)];
        if (bias is not null && bias.Length != n)
        {
            throw new InvalidOperationException($"bias {Buf(s.Bias)} must have N={n} elements");
        }
        for (long batch = 0; batch < s.BatchCount; batch++)
        {
            // op(A) as dense [M,K] and op(B) as dense [K,N]: a transposed operand is stored the other way round.
            var pa = MatMulKernel.Pack(a, batch * s.StrideA, m, k, s.TransA);
            var pb = MatMulKernel.Pack(b, batch * s.StrideB, k, n, s.TransB);
            var yOffset = Count(batch * s.StrideY);
            Parallel.For(0, m, row =>
            {
                var c = new float[n];
                MatMulKernel.Row(pa, row * k, k, pb, 0, n, c);
                var o = yOffset + (row * n);
                for (var j = 0; j < n; j++)
                {
                    var v = s.Alpha * c[j];
                    if (bias is not null)
                    {
                        v += bias[j];
                    }
                    if (residual is not null)
                    {
                        v += s.Beta * residual[o + j];
                    }
                    y[o + j] = ScalarMath.Activate(v, s.Activation, s.ClipMin, s.ClipMax);
                }
            });
        }
        Store(s.Y, y);
    }

    /// <summary>Values broadcast (numpy rules) to <paramref name="target"/>; the same array when the shapes already agree in size.</summary>
    private static float[] BroadcastTo(float[] values, long[] source, long[] target)
    {
        if (values.Length == Broadcast.ElementCount(target))
        {
            return values;
        }
        var map = Broadcast.SourceIndices(source, target);
        var result = new float[map.Length];
        for (var i = 0; i < map.Length; i++)
        {
            result[i] = values[map[i]];
        }
        return result;
    }
}
