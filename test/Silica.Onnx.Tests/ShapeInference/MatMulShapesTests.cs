using Silica.Onnx.Building;
using Silica.Onnx.Model;
using static Silica.Onnx.Tests.ShapeInference.InferenceHarness;

namespace Silica.Onnx.Tests.ShapeInference;

public sealed class MatMulShapesTests
{
    [Theory]
    [InlineData("batch,seq,768", "768,3072", "[batch,seq,3072]")]
    [InlineData("batch,12,seq,64", "batch,12,64,seq", "[batch,12,seq,seq]")]
    [InlineData("2,1,3,4", "5,4,6", "[2,5,3,6]")]
    [InlineData("4", "4,6", "[6]")]
    [InlineData("3,4", "4", "[3]")]
    [InlineData("4", "4", "[]")]
    public void MatMul_Operands_FollowNumpySemantics(string a, string b, string expected) => Assert.Equal(expected, Single("MatMul", [a, b]));

    [Fact]
    public void MatMul_InnerDimensionsDiffer_ReportsDiagnostic()
    {
        var (_, result) = InferWithResult(b => b.Node("MatMul", [b.Input("a", TensorDataType.Float, 2, 3), b.Input("b", TensorDataType.Float, 4, 5)]));
        Assert.Contains("inner dimensions 3 and 4 differ", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m,8", "8,16", 0, 0, "[m,16]")]
    [InlineData("m,8", "16,8", 0, 1, "[m,16]")]
    [InlineData("8,m", "8,16", 1, 0, "[m,16]")]
    public void Gemm_Transpose_SwapsOperandAxes(string a, string b, long transA, long transB, string expected) =>
        Assert.Equal(expected, Single("Gemm", [a, b], 17, Attr.Int("transA", transA), Attr.Int("transB", transB)));

    [Theory]
    [InlineData("bij,bjk->bik", "2,3,4", "2,4,5", "[2,3,5]")]
    [InlineData("ij->ji", "3,4", "", "[4,3]")]
    [InlineData("ii->i", "3,3", "", "[3]")]
    [InlineData("...ij,...jk", "b,2,3,4", "4,6", "[b,2,3,6]")]
    [InlineData("i,j", "3", "4", "[3,4]")]
    [InlineData("ij,ij->", "3,4", "3,4", "[]")]
    public void Einsum_CommonForms_InferOutput(string equation, string a, string b, string expected)
    {
        string[] inputs = b.Length == 0 ? [a] : [a, b];
        Assert.Equal(expected, Single("Einsum", inputs, 17, Attr.String("equation", equation)));
    }
}
