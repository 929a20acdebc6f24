using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// Evaluates a node on the host when all its inputs are plan-time constants (shape arithmetic, folded masks, small
/// weight transforms). Returns null for operators it does not fold; the node is then lowered to device steps.
/// </summary>
internal static partial class HostEvaluator
{
    /// <summary>Folded outputs larger than this stay device work: folding would only bloat the weights.</summary>
    public const long MaxFoldedElements = 1 << 21;

    public static HostTensor?[]? Evaluate(Node node, Func<Value?, HostTensor?> input, long opset)
    {
        HostTensor In(int i) => input(node.Input(i)) ?? throw PlanException.For(node, $"input {i} is not constant");
        var y = node.Output(0);
        var outType = y?.Type?.ElementType ?? TensorDataType.Undefined;
        var a = node.Attributes;
        HostTensor? r = node.OpType switch
        {
            "Identity" or "Dropout" => In(0),
            "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" => In(0).WithDims(PlanBuilder.ShapeOf(y!)),
            "Cast" => In(0).CastTo((TensorDataType)a.GetInt("to", 0)),
            "Gather" => Gather(In(0), In(1), (int)a.GetInt("axis", 0)),
            "Concat" => Concat([.. node.Inputs.Where(v => v is not null).Select(v => input(v)!)], (int)a.GetInt("axis", 0)),
            "Range" => Range(In(0), In(1), In(2), outType),
            "ConstantOfShape" => ConstantOfShape(In(0).ToLongs(), a.GetTensor("value") is { } t ? HostTensor.FromProto(t) : null),
            "Transpose" => Transpose(In(0), a.GetInts("perm")),
            "Expand" => Broadcast(In(0), PlanBuilder.ShapeOf(y!)),
            "Slice" => Slice(node, In(0), input, opset),
            "Where" => Map(node, [In(0), In(1), In(2)], outType, v => v[0] != 0 ? v[1] : v[2], null),
            _ => null,
        };
        if (r is null && Elementwise(node.OpType, a) is var (f, g) && (f is not null || g is not null))
        {
            var ins = node.Inputs.Where(v => v is not null).Select(v => input(v)!).ToArray();
            r = Map(node, ins, outType, f, g);
        }
        return r is null ? null : [r];
    }

    private static HostTensor Map(Node node, HostTensor[] ins, TensorDataType outType, Func<double[], double>? f, Func<long[], long>? g)
    {
        var dims = BroadcastShape(node, ins.Select(t => t.Dims));
        var count = dims.Aggregate(1L, (p, d) => p * d);
        var useInts = g is not null && ins.All(t => t.IsIntegral) && HostTensor.IsIntegralType(outType);
        var strides = ins.Select(t => BroadcastStrides(t.Dims, dims)).ToArray();
        var index = new long[dims.Length];
        var longs = useInts ? new long[count] : null;
        var doubles = useInts ? null : new double[count];
        var lv = new long[ins.Length];
        var dv = new double[ins.Length];
        for (long n = 0; n < count; n++)
        {
            for (var k = 0; k < ins.Length; k++)
            {
                long off = 0;
                for (var d = 0; d < dims.Length; d++)
                {
                    off += index[d] * strides[k][d];
                }
                if (useInts)
                {
                    lv[k] = ins[k].GetLong(off);
                }
                else
                {
                    dv[k] = ins[k].GetDouble(off);
                }
            }
            if (useInts)
            {
                longs![n] = g!(lv);
            }
            else
            {
                doubles![n] = f is not null ? f(dv) : g!([.. dv.Select(x => (long)x)]);
            }
            for (var d = dims.Length - 1; d >= 0 && ++index[d] == dims[d]; d--)
            {
                index[d] = 0;
            }
        }
        return useInts ? HostTensor.OfInts(outType, dims, longs!) : HostTensor.Create(outType, dims, doubles!).CastTo(outType);
    }

    public static long[] BroadcastShape(Node? node, IEnumerable<long[]> shapes)
    {
        var list = shapes.ToList();
        var rank = list.Max(s => s.Length);
        var dims = Enumerable.Repeat(1L, rank).ToArray();
        foreach (var s in list)
        {
            for (var i = 0; i < s.Length; i++)
            {
                var d = rank - s.Length + i;
                if (s[i] != 1)
                {
                    if (dims[d] != 1 && dims[d] != s[i])
                    {
                        throw new PlanException($"node '{node?.Name}': shapes do not broadcast");
                    }
                    dims[d] = s[i];
                }
            }
        }
        return dims;
    }

    /// <summary>Element strides of a row-major tensor of <paramref name="dims"/> read broadcast to <paramref name="target"/> (0 on broadcast axes).</summary>
    public static long[] BroadcastStrides(long[] dims, long[] target)
    {
        var strides = new long[target.Length];
        long s = 1;
        for (var i = dims.Length - 1; i >= 0; i--)
        {
            var d = target.Length - dims.Length + i;
            strides[d] = dims[i] == 1 ? 0 : s;
            s *= dims[i];
        }
        return strides;
    }

    public static long[] ContiguousStrides(long[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (var i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    private static (Func<double[], double>? F, Func<long[], long>? G) Elementwise(string op, NodeAttributes a) => op switch
    {
        "Add" => (v => v[0] + v[1], v => v[0] + v[1]),
        "Sub" => (v => v[0] - v[1], v => v[0] - v[1]),
        "Mul" => (v => v[0] * v[1], v => v[0] * v[1]),
        "Div" => (v => v[0] / v[1], v => v[1] == 0 ? 0 : v[0] / v[1]),
        "Mod" => (v => a.GetInt("fmod", 0) == 1 ? v[0] % v[1] : v[0] - (Math.Floor(v[0] / v[1]) * v[1]),
            v => v[1] == 0 ? 0 : ((v[0] % v[1]) + v[1]) % v[1]),
        "Pow" => (v => Math.Pow(v[0], v[1]), null),
        "Max" => (v => v.Max(), v => v.Max()),
        "Min" => (v => v.Min(), v => v.Min()),
        "Sqrt" => (v => Math.Sqrt(v[0]), null),
        "Neg" => (v => -v[0], v => -v[0]),
        "Abs" => (v => Math.Abs(v[0]), v => Math.Abs(v[0])),
        "Reciprocal" => (v => 1 / v[0], null),
        "Exp" => (v => Math.Exp(v[0]), null),
        "Log" => (v => Math.Log(v[0]), null),
        "Floor" => (v => Math.Floor(v[0]), null),
        "Ceil" => (v => Math.Ceiling(v[0]), null),
        "Relu" => (v => Math.Max(v[0], 0), v => Math.Max(v[0], 0)),
        "Equal" => (v => v[0] == v[1] ? 1 : 0, v => v[0] == v[1] ? 1 : 0),
        "Less" => (v => v[0] < v[1] ? 1 : 0, v => v[0] < v[1] ? 1 : 0),
        "Greater" => (v => v[0] > v[1] ? 1 : 0, v => v[0] > v[1] ? 1 : 0),
        "LessOrEqual" => (v => v[0] <= v[1] ? 1 : 0, v => v[0] <= v[1] ? 1 : 0),
        "GreaterOrEqual" => (v => v[0] >= v[1] ? 1 : 0, v => v[0] >= v[1] ? 1 : 0),
        "Not" => (v => v[0] == 0 ? 1 : 0, v => v[0] == 0 ? 1 : 0),
        "And" => (v => v[0] != 0 && v[1] != 0 ? 1 : 0, v => v[0] != 0 && v[1] != 0 ? 1 : 0),
        "Or" => (v => v[0] != 0 || v[1] != 0 ? 1 : 0, v => v[0] != 0 || v[1] != 0 ? 1 : 0),
        "Sign" => (v => Math.Sign(v[0]), v => Math.Sign(v[0])),
        _ => (null, null),
    };
}
