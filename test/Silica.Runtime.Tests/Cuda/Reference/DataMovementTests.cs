using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class DataMovementTests
{
    private const TensorDataType F = TensorDataType.Float;

    private static float[] Iota(int n) => [.. Enumerable.Range(0, n).Select(i => (float)i)];

    [Fact]
    public void Transpose_Perm120_MovesAxes()
    {
        var p = new TestPlan();
        var x = p.Input(F, 2, 3, 4);
        var y = p.Output(F, 3, 4, 2);
        p.Step(new TransposeStep("t", x, y, [1, 2, 0]));

        var actual = p.Run(Iota(24));

        // y[j,k,i] = x[i,j,k] = 12i + 4j + k
        Assert.Equal(1 * 4, actual[(1 * 8) + 0]);
        Assert.Equal(12 + (2 * 4) + 3, actual[(2 * 8) + (3 * 2) + 1]);
    }

    [Fact]
    public void Gather_NegativeInt32IndicesOnAxis1_TakesFromTheEnd()
    {
        var p = new TestPlan();
        var x = p.Input(F, 2, 4, 3);
        var idx = p.Weight(TensorDataType.Int32, [2], [-1L, 1L]);
        var y = p.Output(F, 2, 2, 3);
        p.Step(new GatherStep("g", x, idx, y, 1));

        var actual = p.Run(Iota(24));

        Assert.Equal([9, 10, 11, 3, 4, 5, 21, 22, 23, 15, 16, 17], actual);
    }

    [Fact]
    public void Concat_Axis1_InterleavesRows()
    {
        var p = new TestPlan();
        var a = p.Input(F, 2, 1);
        var b = p.Input(F, 2, 2);
        var y = p.Output(F, 2, 3);
        p.Step(new ConcatStep("c", [a, b], y, 1));

        Assert.Equal([0, 10, 11, 1, 12, 13], p.Run([0, 1], [10, 11, 12, 13]));
    }

    [Fact]
    public void Slice_NegativeStep_ReversesAndStrides()
    {
        var p = new TestPlan();
        var x = p.Input(F, 3, 5);
        var y = p.Output(F, 2, 2);
        // rows 2, 0 (start 2 step -2); columns 4, 1 (start 4 step -3)
        p.Step(new SliceStep("s", x, y, [2, 4], [-2, -3]));

        Assert.Equal([14, 11, 4, 1], p.Run(Iota(15)));
    }

    [Fact]
    public void Expand_BroadcastsBothWays()
    {
        var p = new TestPlan();
        var x = p.Input(F, 3, 1);
        var y = p.Output(F, 2, 3, 2);
        p.Step(new ExpandStep("e", x, y));

        Assert.Equal([0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2], p.Run([0, 1, 2]));
    }

    [Fact]
    public void CastAndCopy_FloatToInt64ToHalfThroughView_TruncatesAndRounds()
    {
        var p = new TestPlan();
        var x = p.Input(F, 2, 2);
        var asLong = p.Arena(TensorDataType.Int64, 2, 2);
        var flat = p.View(asLong, 4);
        var asHalf = p.Output(TensorDataType.Float16, 4);
        var copy = p.Output(TensorDataType.Int64, 4);
        p.Step(new CastStep("to_long", x, asLong)).Step(new CastStep("to_half", flat, asHalf)).Step(new CopyStep("copy", flat, copy));

        var plan = p.Build();
        var outputs = new PlanInterpreter(plan).Run([HostTensorMath.ToBytes([-2.7f, 2.7f, 3e9f, 2049.9f], F)]);

        Assert.Equal([-2, 2, 3_000_000_000, 2049], HostTensorMath.DecodeInt64s(outputs[1], TensorDataType.Int64));
        // 2049 is not a half: it rounds (to even) to 2048.
        Assert.Equal([-2, 2, float.PositiveInfinity, 2048], HostTensorMath.DecodeFloats(outputs[0], TensorDataType.Float16));
    }

    [Fact]
    public void AfterStep_SeesEachStepsOutputInOrder()
    {
        var p = new TestPlan();
        var x = p.Input(F, 2);
        var t = p.Arena(F, 2);
        var y = p.Output(F, 2);
        p.Step(new ElementwiseStep("double", [x], t, new BinaryExpr(BinaryOp.Mul, new InputExpr(0), new ConstExpr(2))))
            .Step(new ElementwiseStep("inc", [t], y, new BinaryExpr(BinaryOp.Add, new InputExpr(0), new ConstExpr(1))));
        var interpreter = new PlanInterpreter(p.Build());
        var seen = new List<(int, string, float[])>();
        interpreter.AfterStep = (i, step) => seen.Add((i, step.Name, interpreter.BufferFloats(i == 0 ? t : y)));

        interpreter.Run([HostTensorMath.ToBytes([1f, 2f], F)]);

        Assert.Equal([(0, "double"), (1, "inc")], seen.Select(s => (s.Item1, s.Item2)));
        Assert.Equal([2f, 4f], seen[0].Item3);
        Assert.Equal([3f, 5f], seen[1].Item3);
        Assert.Equal(HostTensorMath.ToBytes([2f, 4f], F), interpreter.BufferBytes(t));
    }
}
