using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class ArenaCheckTests
{
    private const TensorDataType F = TensorDataType.Float;

    // y = 2x + (x + 1): t1 = 2x must stay live while t2 = x + 1 is computed.
    private static (TestPlan Plan, int T1, int T2) TwoLiveTemporaries()
    {
        var p = new TestPlan();
        var x = p.Input(F, 4);
        var t1 = p.Arena(F, 4);
        var t2 = p.Arena(F, 4);
        var y = p.Output(F, 4);
        p.Step(new ElementwiseStep("t1", [x], t1, new BinaryExpr(BinaryOp.Mul, new InputExpr(0), new ConstExpr(2))))
            .Step(new ElementwiseStep("t2", [x], t2, new BinaryExpr(BinaryOp.Add, new InputExpr(0), new ConstExpr(1))))
            .Step(new ElementwiseStep("y", [t1, t2], y, new BinaryExpr(BinaryOp.Add, new InputExpr(0), new InputExpr(1))));
        return (p, t1, t2);
    }

    private static float[] Run(ExecutionPlan plan, bool checkArena) =>
        HostTensorMath.DecodeFloats(new PlanInterpreter(plan, checkArena).Run([HostTensorMath.ToBytes([1f, 2f, 3f, 4f], F)])[0], F);

    [Fact]
    public void CheckArena_DisjointOffsets_SameResultAsSeparateBuffers()
    {
        var plan = TwoLiveTemporaries().Plan.Build();

        Assert.Equal([4f, 7f, 10f, 13f], Run(plan, checkArena: false));
        Assert.Equal([4f, 7f, 10f, 13f], Run(plan, checkArena: true));
    }

    [Fact]
    public void CheckArena_OverlappingLiveBuffers_ProducesWrongOutput()
    {
        var (p, t1, t2) = TwoLiveTemporaries();
        p.Place(t2, p.Build()[t1].Offset); // the memory-plan bug: t2 reuses t1's bytes while t1 is still needed
        var plan = p.Build();

        Assert.Equal([4f, 7f, 10f, 13f], Run(plan, checkArena: false));
        Assert.Equal([4f, 6f, 8f, 10f], Run(plan, checkArena: true)); // (x + 1) twice
    }

    [Fact]
    public void CheckArena_ReadOfUnwrittenBuffer_GivesNaN()
    {
        var p = new TestPlan();
        var x = p.Input(F, 4);
        var never = p.Arena(F, 4);
        var y = p.Output(F, 4);
        p.Step(new ElementwiseStep("y", [x, never], y, new BinaryExpr(BinaryOp.Add, new InputExpr(0), new InputExpr(1))));

        Assert.All(Run(p.Build(), checkArena: true), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Run_WrongInputSize_Throws()
    {
        var interpreter = new PlanInterpreter(TwoLiveTemporaries().Plan.Build());

        Assert.Throws<ArgumentException>(() => interpreter.Run([new byte[12]]));
    }
}
