using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Matrix products: MatMul (numpy semantics, batch broadcasting), MatMulInteger, QLinearMatMul, Gemm.</summary>
internal static class MatMulShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("MatMul", c => c.SetOutput(0, c.InputElementType(0), MatMul(c, c.InputShape(0), c.InputShape(1))));
        r.Add("MatMulInteger", c => c.SetOutput(0, TensorDataType.Int32, MatMul(c, c.InputShape(0), c.InputShape(1))));
        r.Add("QLinearMatMul", c => c.SetOutput(0, c.InputElementType(7), MatMul(c, c.InputShape(0), c.InputShape(3))));
        r.Add("Gemm", Gemm);
    }

    /// <summary>
    /// <c>[..., M, K] x [..., K, N] → [broadcast(...), M, N]</c>; a 1-D operand gets a unit axis that is
    /// removed from the result again.
    /// </summary>
    public static TensorShape MatMul(NodeContext c, TensorShape a, TensorShape b)
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw c.Fail("MatMul operands must have rank 1 or more");
        }
        var a2 = a.Rank == 1 ? new TensorShape([Dim.Of(1), a[0]]) : a;
        var b2 = b.Rank == 1 ? new TensorShape([b[0], Dim.Of(1)]) : b;
        var k1 = a2[^1];
        var k2 = b2[^2];
        if (k1.IsKnown && k2.IsKnown && k1.KnownValue != k2.KnownValue)
        {
            throw c.Fail($"inner dimensions {k1} and {k2} differ");
        }
        var batch = DimMath.Broadcast(c, new TensorShape(a2.Take(a2.Rank - 2)), new TensorShape(b2.Take(b2.Rank - 2)));
        var dims = batch.ToList();
        if (a.Rank > 1)
        {
            dims.Add(a2[^2]);
        }
        if (b.Rank > 1)
        {
            dims.Add(b2[^1]);
        }
        return new TensorShape(dims);
    }

    private static void Gemm(NodeContext c)
    {
        var a = c.InputShape(0);
        var b = c.InputShape(1);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw c.Fail($"Gemm needs rank-2 operands, got {a} and {b}");
        }
        var transA = c.Attributes.GetInt("transA", 0) != 0;
        var transB = c.Attributes.GetInt("transB", 0) != 0;
        var m = transA ? a[1] : a[0];
        var n = transB ? b[0] : b[1];
        c.SetOutput(0, c.InputElementType(0), new TensorShape(m, n));
    }
}
