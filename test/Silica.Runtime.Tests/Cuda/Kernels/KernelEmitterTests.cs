using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Kernels;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Kernels;

public class KernelEmitterTests
{
    public static TheoryData<string> CatalogNames() => [.. StepCatalog.All().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void Emit_EveryCatalogStep_ArgsMatchTheCSignatureAndGridIsValid(string name)
    {
        var plan = StepCatalog.All().Single(c => c.Name == name).Plan;
        var launches = KernelEmitter.Emit(plan.Steps[0], plan);
        Assert.NotEmpty(launches);
        foreach (var launch in launches)
        {
            AssertLaunchIsConsistent(launch, plan);
        }
    }

    [Fact]
    public void Helpers_ConvertBiasAddFp8_ArgsMatchTheCSignature()
    {
        var p = new TestPlan();
        var x = p.Add(TensorDataType.Float16, 2, 8, 3, 3);
        var f = p.Add(TensorDataType.Float, 2, 8, 3, 3);
        var bias = p.Add(TensorDataType.Float, 8);
        var q = p.Add(TensorDataType.Float8E4M3FN, 2, 8, 3, 3);
        var scale = p.Add(TensorDataType.Float, 1);
        var plan = p.Build();
        var launches = new List<KernelLaunch>
        {
            KernelEmitter.Convert(null, TensorDataType.Float16, TensorDataType.Float, 144, new BufferArg(x), new BufferArg(f)),
            KernelEmitter.Convert(null, TensorDataType.Float16, TensorDataType.Float8E4M3FN, 144, new BufferArg(x), new BufferArg(q)),
            KernelEmitter.BiasAdd(TensorDataType.Float16, TensorDataType.Float, 2, 8, 9, new BufferArg(x), new BufferArg(bias)),
        };
        var fp8 = KernelEmitter.Fp8Quantize(TensorDataType.Float16, 144, new BufferArg(x), new BufferArg(q), new BufferArg(scale));
        Assert.Equal(4, fp8.Count);
        Assert.Single(fp8.Select(l => l.Source).Distinct());
        Assert.Equal(4, fp8.Select(l => l.Entry).Distinct().Count());
        launches.AddRange(fp8);
        foreach (var launch in launches)
        {
            AssertLaunchIsConsistent(launch, plan);
        }
    }

    [Fact]
    public void Emit_SameStepTwice_GivesIdenticalSourceAndEntry()
    {
        var (_, a) = StepCatalog.All().First(c => c.Name.StartsWith("layernorm", StringComparison.Ordinal));
        var (_, b) = StepCatalog.All().First(c => c.Name.StartsWith("layernorm", StringComparison.Ordinal));
        var la = KernelEmitter.Emit(a.Steps[0], a).Single();
        var lb = KernelEmitter.Emit(b.Steps[0], b).Single();
        Assert.Equal(la.Source, lb.Source);
        Assert.Equal(la.Entry, lb.Entry);
    }

    [Fact]
    public void Emit_DifferentShapes_GiveDifferentEntries()
    {
        var entries = StepCatalog.All().Where(c => c.Name.StartsWith("layernorm-", StringComparison.Ordinal))
            .Select(c => KernelEmitter.Emit(c.Plan.Steps[0], c.Plan).Single().Entry).ToList();
        Assert.Equal(entries.Count, entries.Distinct().Count());
    }

    [Fact]
    public void Handles_LibrarySteps_False_KernelSteps_True()
    {
        Assert.False(KernelEmitter.Handles(new CopyStep("c", 0, 1)));
        Assert.False(KernelEmitter.Handles(new GemmStep("g", 0, 1, 2, -1, -1, 1, 1, 1, 1, 0, 0, 0, false, false, 1, 0, Activation.None)));
        Assert.All(StepCatalog.All(), c => Assert.True(KernelEmitter.Handles(c.Plan.Steps[0])));
    }

    [Fact]
    public void Emit_EmptyOutput_NoLaunch()
    {
        var p = new TestPlan();
        var x = p.Add(TensorDataType.Float, 0, 4);
        var step = new ElementwiseStep("e", [x], p.Add(TensorDataType.Float, 0, 4), new UnaryExpr(UnaryOp.Relu, new InputExpr(0)));
        Assert.Empty(KernelEmitter.Emit(step, p.With(step).Build()));
    }

    [Fact]
    public void Emit_ManyHeads_ClampsGridY()
    {
        var p = new TestPlan();
        var q = p.Add(TensorDataType.Float16, 70000, 1, 5, 32);
        long[] s = [5 * 32, 5 * 32, 32, 1];
        var step = new AttentionStep("a", q, q, q, -1, p.Add(TensorDataType.Float16, 70000, 5, 1, 32), 70000, 1, 5, 5, 32, 1, false, s, s, s, [], true);
        var launch = KernelEmitter.Emit(step, p.With(step).Build()).Single();
        Assert.Equal(65535u, launch.Grid.Y);
        Assert.Contains(launch.Args, a => a is Int64Arg { Value: 70000 });
    }

    internal static void AssertLaunchIsConsistent(KernelLaunch launch, ExecutionPlan plan)
    {
        // Byte-moving kernels may move groups of elements as one wider word (MoveKernel.Widen).
        string[] WideWords = ["unsigned int", "uint2", "uint4"];
        Assert.StartsWith("silica_", launch.Entry, StringComparison.Ordinal);
        Assert.InRange(launch.Grid.X, 1u, (uint)int.MaxValue);
        Assert.InRange(launch.Grid.Y, 1u, 65535u);
        Assert.InRange(launch.Grid.Z, 1u, 65535u);
        Assert.InRange(launch.Block.X * launch.Block.Y * launch.Block.Z, 1u, 1024u);
        var parameters = KernelSignature.Parameters(launch.Source, launch.Entry);
        Assert.Equal(parameters.Count, launch.Args.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            var (type, pointer) = parameters[i];
            switch (launch.Args[i])
            {
                case BufferArg b:
                    Assert.True(pointer, $"arg {i} of {launch.Entry} is a buffer but the parameter is {type}");
                    var dtype = plan[b.BufferId].Type;
                    string[] accepted = dtype == TensorDataType.Float8E4M3FN
                        ? ["unsigned char"]
                        : [CudaSource.StorageType(dtype), CudaSource.RawType(dtype), .. WideWords];
                    Assert.Contains(type, accepted);
                    break;
                case ScratchArg:
                    Assert.True(pointer);
                    break;
                case Int64Arg:
                    Assert.False(pointer);
                    Assert.Contains(type, new[] { "i64", "long long" });
                    break;
                case Int32Arg:
                    Assert.Equal(("int", false), (type, pointer));
                    break;
                case Float32Arg:
                    Assert.Equal(("float", false), (type, pointer));
                    break;
                default:
                    Assert.Fail($"unexpected argument {launch.Args[i]}");
                    break;
            }
        }
    }
}
