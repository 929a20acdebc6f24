using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

internal sealed partial class PlanBuilder
{
    /// <summary>Elementwise operators that lower to <see cref="Expr"/> trees (and so can fuse).</summary>
    public static readonly IReadOnlySet<string> ElementwiseOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mod", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
        "And", "Or", "Xor", "Not", "Neg", "Abs", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Erf", "Exp", "Log", "Sqrt",
        "Reciprocal", "Floor", "Ceil", "Round", "Sin", "Cos", "Clip", "HardSigmoid", "HardSwish", "Where", "Cast",
    };

    private static readonly IReadOnlySet<string> BoolResultOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not",
    };

    /// <summary>
    /// Lowers an elementwise node to an expression. It stays pending (no step) while its only reader is another
    /// elementwise node that can absorb it; otherwise its <see cref="ElementwiseStep"/> is emitted now.
    /// </summary>
    public void LowerElementwise(Node node)
    {
        var y = node.Output(0)!;
        var inputs = new List<int>();
        var expr = BuildExpr(node, inputs);
        if (Options.FuseElementwise && SoleConsumer(y) is { } c && ElementwiseOps.Contains(c.OpType) && c.IsDefaultDomain
            && CanAbsorb(node, c))
        {
            _pending[y] = new PendingExpr(node, inputs, expr);
            return;
        }
        var id = OutputBuffer(y);
        EmitElementwise(node, inputs, id, expr);
    }

    private void EmitElementwise(Node node, List<int> inputs, int y, Expr expr)
    {
        // A lone Cast is a CastStep: the kernels have a dedicated conversion.
        if (expr is UnaryExpr { Op: UnaryOp.Identity, X: InputExpr { Index: 0 } } && inputs.Count == 1)
        {
            Emit(new CastStep(node.Name, inputs[0], y));
            return;
        }
        var fused = CountFused(node);
        if (fused > 1)
        {
            Note($"fused {fused} nodes into elementwise kernel {node.Name}");
        }
        Emit(new ElementwiseStep(node.Name, [.. inputs], y, expr));
    }

    /// <summary>Whether consumer <paramref name="c"/> may inline <paramref name="producer"/>'s expression (same int/float evaluation mode).</summary>
    private static bool CanAbsorb(Node producer, Node c)
    {
        var py = TypeOf(producer.Output(0)!);
        var cy = TypeOf(c.Output(0)!);
        if (HostTensor.IsIntegralType(py) == HostTensor.IsIntegralType(cy))
        {
            return true;
        }
        // A comparison of float inputs gives 0/1, exact in either mode.
        return BoolResultOps.Contains(producer.OpType) && producer.Inputs.All(i => i is null || TypeOf(i).IsFloatingPoint());
    }

    private readonly Dictionary<Node, int> _fusedCounts = [];

    private int CountFused(Node node) => _fusedCounts.GetValueOrDefault(node, 1);

    /// <summary>The expression reading <paramref name="v"/>: a scalar constant inline, a pending producer inlined, else a buffer input.</summary>
    public Expr ExprOf(Value v, List<int> inputs, Node reader)
    {
        if (IsConstant(v) && ConstantCount(v) == 1)
        {
            return new ConstExpr(ConstantOf(v)!.GetDouble(0));
        }
        if (_pending.Remove(v, out var p))
        {
            if (p.Node.Output(0)!.Consumers.Count == 1 && p.Node.Output(0)!.Consumers[0] == reader)
            {
                _fusedCounts[reader] = CountFused(reader) + CountFused(p.Node);
                return Remap(p.Expr, i => AddInput(inputs, p.Inputs[i]));
            }
            _pending[v] = p;
        }
        return new InputExpr(AddInput(inputs, Buf(v)));
    }

    private static int AddInput(List<int> inputs, int buffer)
    {
        var i = inputs.IndexOf(buffer);
        if (i >= 0)
        {
            return i;
        }
        inputs.Add(buffer);
        return inputs.Count - 1;
    }

    private static Expr Remap(Expr e, Func<int, int> map) => e switch
    {
        InputExpr i => new InputExpr(map(i.Index)),
        ConstExpr => e,
        UnaryExpr u => u with { X = Remap(u.X, map) },
        BinaryExpr b => b with { A = Remap(b.A, map), B = Remap(b.B, map) },
        ClipExpr c => c with { X = Remap(c.X, map) },
        WhereExpr w => new WhereExpr(Remap(w.Cond, map), Remap(w.A, map), Remap(w.B, map)),
        HardSigmoidExpr h => h with { X = Remap(h.X, map) },
        _ => throw new InvalidOperationException($"unknown expression {e}"),
    };

    private Expr BuildExpr(Node node, List<int> inputs)
    {
        Expr In(int i) => ExprOf(node.Input(i) ?? throw PlanException.For(node, $"input {i} is missing"), inputs, node);
        Expr Bin(BinaryOp op) => new BinaryExpr(op, In(0), In(1));
        Expr Un(UnaryOp op) => new UnaryExpr(op, In(0));
        var a = node.Attributes;
        return node.OpType switch
        {
            "Add" => Bin(BinaryOp.Add),
            "Sub" => Bin(BinaryOp.Sub),
            "Mul" => Bin(BinaryOp.Mul),
            "Div" => Bin(BinaryOp.Div),
            "Pow" => Bin(BinaryOp.Pow),
            "Mod" => a.GetInt("fmod", 0) == 0 && TypeOf(node.Output(0)!).IsFloatingPoint()
                ? throw PlanException.For(node, "float Mod needs fmod=1")
                : Bin(BinaryOp.Mod),
            "Max" => Variadic(node, BinaryOp.Max, inputs),
            "Min" => Variadic(node, BinaryOp.Min, inputs),
            "Equal" => Bin(BinaryOp.Equal),
            "Less" => Bin(BinaryOp.Less),
            "Greater" => Bin(BinaryOp.Greater),
            "LessOrEqual" => Bin(BinaryOp.LessOrEqual),
            "GreaterOrEqual" => Bin(BinaryOp.GreaterOrEqual),
            "And" => Bin(BinaryOp.And),
            "Or" => Bin(BinaryOp.Or),
            "Xor" => Bin(BinaryOp.Xor),
            "Not" => Un(UnaryOp.Not),
            "Neg" => Un(UnaryOp.Neg),
            "Abs" => Un(UnaryOp.Abs),
            "Relu" => Un(UnaryOp.Relu),
            "Sigmoid" => Un(UnaryOp.Sigmoid),
            "Tanh" => Un(UnaryOp.Tanh),
            "Erf" => Un(UnaryOp.Erf),
            "Exp" => Un(UnaryOp.Exp),
            "Log" => Un(UnaryOp.Log),
            "Sqrt" => Un(UnaryOp.Sqrt),
            "Reciprocal" => Un(UnaryOp.Reciprocal),
            "Floor" => Un(UnaryOp.Floor),
            "Ceil" => Un(UnaryOp.Ceil),
            "Round" => Un(UnaryOp.Round),
            "Sin" => Un(UnaryOp.Sin),
            "Cos" => Un(UnaryOp.Cos),
            "HardSwish" => Un(UnaryOp.HardSwish),
            "HardSigmoid" => new HardSigmoidExpr(In(0), a.GetFloat("alpha", 0.2f), a.GetFloat("beta", 0.5f)),
            "LeakyRelu" => LeakyRelu(In(0), a.GetFloat("alpha", 0.01f)),
            "Clip" => ClipOf(node, In(0)),
            "Where" => new WhereExpr(In(0), In(1), In(2)),
            "Cast" => CastExpr(node, In(0)),
            _ => throw PlanException.For(node, "not an elementwise operator"),
        };
    }

    private Expr Variadic(Node node, BinaryOp op, List<int> inputs)
    {
        var e = ExprOf(node.Input(0)!, inputs, node);
        for (var i = 1; i < node.Inputs.Count; i++)
        {
            if (node.Input(i) is { } v)
            {
                e = new BinaryExpr(op, e, ExprOf(v, inputs, node));
            }
        }
        return e;
    }

    private static Expr LeakyRelu(Expr x, double alpha)
    {
        // x is read twice; the kernel evaluates the tree per element, so this costs no extra memory traffic.
        return new WhereExpr(new BinaryExpr(BinaryOp.Less, x, new ConstExpr(0)), new BinaryExpr(BinaryOp.Mul, x, new ConstExpr(alpha)), x);
    }

    private Expr ClipOf(Node node, Expr x)
    {
        var (min, max) = ClipBounds(node);
        return new ClipExpr(x, min, max);
    }

    /// <summary>Clip bounds from attributes (opset &lt; 11) or constant inputs; missing bounds are infinite.</summary>
    public (double Min, double Max) ClipBounds(Node node)
    {
        if (Opset < 11)
        {
            return (node.Attributes.GetFloat("min", float.NegativeInfinity), node.Attributes.GetFloat("max", float.PositiveInfinity));
        }
        double Bound(int i, double fallback) => node.Input(i) is not { } v ? fallback
            : ScalarOf(v) ?? throw PlanException.For(node, "Clip bounds must be constants");
        return (Bound(1, double.NegativeInfinity), Bound(2, double.PositiveInfinity));
    }

    private static Expr CastExpr(Node node, Expr x)
    {
        var to = (TensorDataType)node.Attributes.GetInt("to", 0);
        return to == TensorDataType.Bool
            ? new UnaryExpr(UnaryOp.Not, new UnaryExpr(UnaryOp.Not, x))
            : new UnaryExpr(UnaryOp.Identity, x);
    }

    private sealed record PendingExpr(Node Node, List<int> Inputs, Expr Expr);
}
