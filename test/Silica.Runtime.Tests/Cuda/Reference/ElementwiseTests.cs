using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class ElementwiseTests
{
    private const TensorDataType F = TensorDataType.Float;

    public static TheoryData<string, float, float> UnaryCases => new()
    {
        { "Neg", -1.5f, 1.5f }, { "Abs", -1.5f, 1.5f }, { "Relu", -2f, 0f }, { "Relu", 2f, 2f },
        { "Sigmoid", 0f, 0.5f }, { "Tanh", 0.5f, 0.46211716f }, { "Erf", 1f, 0.84270079f }, { "Erf", -3.5f, -0.99999926f },
        { "Exp", 1f, 2.7182817f }, { "Log", 2.7182817f, 1f }, { "Sqrt", 9f, 3f }, { "Reciprocal", 4f, 0.25f },
        { "Not", 0f, 1f }, { "Not", 2f, 0f }, { "Floor", -1.5f, -2f }, { "Ceil", -1.5f, -1f },
        { "Round", 2.5f, 2f }, { "Round", 3.5f, 4f }, { "Round", -0.5f, -0f }, { "Sin", 0.5f, 0.47942555f }, { "Cos", 0.5f, 0.87758255f },
        { "HardSwish", 1f, 0.6666667f }, { "HardSwish", 4f, 4f }, { "HardSwish", -4f, 0f }, { "Identity", 7f, 7f },
    };

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary_EachOp_MatchesClosedForm(string op, float x, float expected)
    {
        var actual = RunExpr([x], new UnaryExpr(Enum.Parse<UnaryOp>(op), new InputExpr(0)));

        Assert.Equal(expected, actual, 6);
    }

    [Theory]
    [InlineData("Add", 7, 2, 9)]
    [InlineData("Sub", 7, 2, 5)]
    [InlineData("Mul", 7, 2, 14)]
    [InlineData("Div", 7, 2, 3.5)]
    [InlineData("Pow", 3, 2, 9)]
    [InlineData("Max", -7, 2, 2)]
    [InlineData("Min", -7, 2, -7)]
    [InlineData("Mod", -7, 2, -1)]
    [InlineData("Equal", 2, 2, 1)]
    [InlineData("Less", 1, 2, 1)]
    [InlineData("Greater", 1, 2, 0)]
    [InlineData("LessOrEqual", 2, 2, 1)]
    [InlineData("GreaterOrEqual", 1, 2, 0)]
    [InlineData("And", 1, 0, 0)]
    [InlineData("Or", 1, 0, 1)]
    [InlineData("Xor", 1, 1, 0)]
    public void Binary_EachOpInFloat_MatchesClosedForm(string op, float a, float b, float expected)
    {
        var actual = RunExpr([a, b], new BinaryExpr(Enum.Parse<BinaryOp>(op), new InputExpr(0), new InputExpr(1)));

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("Div", -7, 2, -3)]
    [InlineData("Mod", -7, 2, 1)]
    [InlineData("Mod", 7, -2, -1)]
    [InlineData("Pow", 3, 4, 81)]
    [InlineData("Add", 4_000_000_000_000_000_000, 1, 4_000_000_000_000_000_001)]
    public void Binary_AllInt64_ComputesInIntegers(string op, long a, long b, long expected)
    {
        var p = new TestPlan();
        var ai = p.Weight(TensorDataType.Int64, [1], [a]);
        var bi = p.Weight(TensorDataType.Int64, [1], [b]);
        var y = p.Output(TensorDataType.Int64, 1);
        p.Step(new ElementwiseStep("e", [ai, bi], y, new BinaryExpr(Enum.Parse<BinaryOp>(op), new InputExpr(0), new InputExpr(1))));

        var bytes = new PlanInterpreter(p.Build()).Run([])[0];

        Assert.Equal(expected, BitConverter.ToInt64(bytes));
    }

    [Fact]
    public void Fused_BroadcastClipWhereHardSigmoid_MatchesClosedForm()
    {
        // y[i,j,k] = where(c[j,1] > 0, clip(a[i,j,k] * b[k], -1, 1), hardsigmoid(a, 0.2, 0.5)) + 3
        long[] shape = [2, 3, 4];
        var a = Values(24, 1).Select(v => v * 3).ToArray();
        var b = Values(4, 2);
        float[] c = [1, -1, 0];
        var expr = new BinaryExpr(BinaryOp.Add,
            new WhereExpr(new BinaryExpr(BinaryOp.Greater, new InputExpr(2), new ConstExpr(0)),
                new ClipExpr(new BinaryExpr(BinaryOp.Mul, new InputExpr(0), new InputExpr(1)), -1, 1),
                new HardSigmoidExpr(new InputExpr(0), 0.2, 0.5)),
            new ConstExpr(3));
        var p = new TestPlan();
        var ai = p.Input(F, shape);
        var bi = p.Input(F, 4);
        var ci = p.Input(F, 3, 1);
        var y = p.Output(F, shape);
        p.Step(new ElementwiseStep("fused", [ai, bi, ci], y, expr));

        var actual = p.Run(a, b, c);

        var expected = new float[24];
        for (var i = 0; i < 24; i++)
        {
            var (j, k) = (i / 4 % 3, i % 4);
            expected[i] = (c[j] > 0 ? Math.Clamp(a[i] * b[k], -1, 1) : Math.Clamp((0.2f * a[i]) + 0.5f, 0, 1)) + 3;
        }
        AssertClose(expected, actual);
    }

    [Fact]
    public void Float16Output_RoundsOnStore()
    {
        var p = new TestPlan();
        var x = p.Input(F, 3);
        var y = p.Output(TensorDataType.Float16, 3);
        p.Step(new ElementwiseStep("add", [x], y, new BinaryExpr(BinaryOp.Add, new InputExpr(0), new ConstExpr(1))));

        var bytes = new PlanInterpreter(p.Build()).Run([HostTensorMath.ToBytes([0.0001f, 1000.1f, 65519f], F)])[0];

        float[] expected = [(float)(Half)1.0001f, (float)(Half)1001.1f, float.PositiveInfinity];
        Assert.Equal(expected, HostTensorMath.DecodeFloats(bytes, TensorDataType.Float16));
        Assert.Equal(1f, expected[0]);
    }

    private static float RunExpr(float[] scalars, Expr expr)
    {
        var p = new TestPlan();
        var inputs = scalars.Select(_ => p.Input(F, 1)).ToArray();
        var y = p.Output(F, 1);
        p.Step(new ElementwiseStep("e", inputs, y, expr));
        return p.Run([.. scalars.Select(s => new[] { s })])[0];
    }
}
