using Silica.Onnx.Model;
using static Silica.Onnx.Tests.ShapeInference.InferenceHarness;

namespace Silica.Onnx.Tests.ShapeInference;

public sealed class ElementwiseShapesTests
{
    [Theory]
    [InlineData("Add", "2,3,4", "4", "[2,3,4]")]
    [InlineData("Mul", "2,1,4", "3,1", "[2,3,4]")]
    [InlineData("Sub", "batch,seq,768", "768", "[batch,seq,768]")]
    [InlineData("Div", "batch,1,seq", "batch,12,1", "[batch,12,seq]")]
    [InlineData("Pow", "1", "batch,5", "[batch,5]")]
    [InlineData("Add", "a,4", "b,4", "[?,4]")]
    [InlineData("Max", "3,1", "1,4", "[3,4]")]
    [InlineData("PRelu", "1,8,5,5", "8,1,1", "[1,8,5,5]")]
    public void Binary_BroadcastingShapes_FollowNumpyRules(string op, string a, string b, string expected) =>
        Assert.Equal(expected, Single(op, [a, b]));

    [Theory]
    [InlineData("Equal")]
    [InlineData("Less")]
    [InlineData("GreaterOrEqual")]
    public void Comparison_AnyInputs_ProducesBool(string op)
    {
        var type = Infer(b => b.Node(op, [b.Input("a", TensorDataType.Float, 2, 3), b.Input("b", TensorDataType.Float, 3)]));
        Assert.Equal("bool[2,3]", type.ToString());
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("Gelu")]
    [InlineData("Softmax")]
    [InlineData("HardSwish")]
    [InlineData("Erf")]
    [InlineData("Sqrt")]
    [InlineData("Clip")]
    public void Unary_SymbolicInput_KeepsShape(string op) => Assert.Equal("[batch,seq,64]", Single(op, ["batch,seq,64"]));

    [Fact]
    public void Sum_ThreeInputs_BroadcastsAll() => Assert.Equal("[2,3,4]", Single("Sum", ["4", "3,1", "2,1,1"]));

    [Fact]
    public void Where_BoolConditionAndInt64Branches_TakesBranchType()
    {
        var type = Infer(b => b.Node("Where",
            [b.Input("c", TensorDataType.Bool, 2, 1), b.Input("x", TensorDataType.Int64, 1, 5), b.Input("y", TensorDataType.Int64, 5)]));
        Assert.Equal("int64[2,5]", type.ToString());
    }

    [Fact]
    public void Binary_IncompatibleDims_ReportsDiagnostic()
    {
        var (_, result) = InferWithResult(b => b.Node("Add", [b.Input("a", TensorDataType.Float, 3), b.Input("b", TensorDataType.Float, 4)]));
        Assert.Contains("cannot be broadcast", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TensorDataType.Float16)]
    [InlineData(TensorDataType.Int32)]
    [InlineData(TensorDataType.Bool)]
    public void Cast_ToType_ChangesElementTypeOnly(TensorDataType to)
    {
        var type = Infer(b => b.Node("Cast", [b.Input("x", TensorDataType.Float, "n", 3)], Building.Attr.Int("to", (long)to)));
        Assert.Equal(new TensorType(to, new TensorShape(Dims("n,3"))), type);
    }
}
