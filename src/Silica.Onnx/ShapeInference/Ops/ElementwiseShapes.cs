using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Elementwise operators: unary math, broadcasting arithmetic, comparisons, logic, variadic Min/Max/Sum/Mean.</summary>
internal static class ElementwiseShapes
{
    private static readonly string[] SameTypeUnary =
    [
        "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Sqrt", "Exp", "Log", "Erf", "Sin", "Cos", "Tan", "Asin",
        "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Not", "Sign", "BitwiseNot", "Identity",
    ];

    public static void Register(OpRegistry r)
    {
        r.Add(SameTypeUnary, Unary);
        r.Add("Add", Binary(ConstantFolder.Ints((a, b) => a + b, ConstantFolder.AddSymbolic), ConstantFolder.Floats((a, b) => a + b)));
        r.Add("Sub", Binary(ConstantFolder.Ints((a, b) => a - b, ConstantFolder.SubSymbolic), ConstantFolder.Floats((a, b) => a - b)));
        r.Add("Mul", Binary(ConstantFolder.Ints((a, b) => a * b, ConstantFolder.MulSymbolic), ConstantFolder.Floats((a, b) => a * b)));
        r.Add("Div", Binary(ConstantFolder.Ints((a, b) => b == 0 ? throw new ArgumentException("integer division by zero") : a / b,
            ConstantFolder.DivSymbolic), ConstantFolder.Floats((a, b) => a / b)));
        r.Add("Mod", Mod);
        r.Add("Pow", Binary(null, ConstantFolder.Floats(Math.Pow)));
        r.Add(["BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor"], Binary(null, null));
        r.Add("Equal", Compare(a => a == 0, ConstantFolder.EqualSymbolic));
        r.Add("Less", Compare(a => a < 0));
        r.Add("Greater", Compare(a => a > 0));
        r.Add("LessOrEqual", Compare(a => a <= 0));
        r.Add("GreaterOrEqual", Compare(a => a >= 0));
        r.Add("And", Logical((a, b) => a & b));
        r.Add("Or", Logical((a, b) => a | b));
        r.Add("Xor", Logical((a, b) => a ^ b));
        r.Add("Max", Binary(ConstantFolder.Ints(Math.Max), ConstantFolder.Floats(Math.Max)));
        r.Add("Min", Binary(ConstantFolder.Ints(Math.Min), ConstantFolder.Floats(Math.Min)));
        r.Add("Sum", Binary(ConstantFolder.Ints((a, b) => a + b, ConstantFolder.AddSymbolic), ConstantFolder.Floats((a, b) => a + b)));
        r.Add("Mean", Binary(null, null));
        r.Add(["IsNaN", "IsInf"], c => c.SetOutput(0, TensorDataType.Bool, c.InputType(0).Shape));
        r.Add("Where", Where);
    }

    /// <summary>Same type and shape as the input; the value follows for the identities and integer negation.</summary>
    private static void Unary(NodeContext c)
    {
        var type = c.InputType(0);
        c.SetOutput(0, type);
        if (c.Known(0) is not { } k)
        {
            return;
        }
        Func<SymbolicInt[], SymbolicInt>? intOp = c.Node.OpType switch
        {
            "Identity" => xs => xs[0],
            "Neg" => xs => xs[0].IsKnown ? SymbolicInt.Of(-xs[0].Value) : SymbolicInt.Unknown,
            "Abs" => xs => xs[0].IsKnown ? SymbolicInt.Of(Math.Abs(xs[0].Value)) : xs[0],
            "Not" => xs => xs[0].IsKnown ? SymbolicInt.Of(xs[0].Value == 0 ? 1 : 0) : SymbolicInt.Unknown,
            "Sign" => xs => xs[0].IsKnown ? SymbolicInt.Of(Math.Sign(xs[0].Value)) : SymbolicInt.Unknown,
            _ => null,
        };
        Func<double[], double>? floatOp = c.Node.OpType switch
        {
            "Identity" => xs => xs[0],
            "Neg" => xs => -xs[0],
            "Abs" => xs => Math.Abs(xs[0]),
            "Floor" => xs => Math.Floor(xs[0]),
            "Ceil" => xs => Math.Ceiling(xs[0]),
            "Round" => xs => Math.Round(xs[0], MidpointRounding.ToEven),
            "Sqrt" => xs => Math.Sqrt(xs[0]),
            "Reciprocal" => xs => 1 / xs[0],
            _ => null,
        };
        if (ConstantFolder.Elementwise([k], type.ElementType, intOp, floatOp) is { } folded)
        {
            c.SetKnown(0, folded);
        }
    }

    /// <summary>Broadcasting op whose output has the first input's type (variadic for Min/Max/Sum/Mean).</summary>
    private static OpInference Binary(Func<SymbolicInt[], SymbolicInt>? intOp, Func<double[], double>? floatOp) => c =>
    {
        var type = c.InputElementType(0);
        c.SetOutput(0, type, BroadcastInputs(c));
        if (intOp is not null || floatOp is not null)
        {
            Fold(c, type, intOp, floatOp);
        }
    };

    private static void Mod(NodeContext c)
    {
        var fmod = c.Attributes.GetInt("fmod", 0) != 0;
        // fmod=0 takes the divisor's sign (Python %); fmod=1 the dividend's (C fmod).
        long IntMod(long a, long b) => b == 0 ? throw new ArgumentException("integer modulo by zero") : fmod ? a % b : ((a % b) + b) % b;
        double FloatMod(double a, double b) => fmod ? a % b : a - (b * Math.Floor(a / b));
        Binary(ConstantFolder.Ints(IntMod), ConstantFolder.Floats(FloatMod))(c);
    }

    private static OpInference Compare(Func<int, bool> test, ConstantFolder.IntOp? symbolic = null) => c =>
    {
        c.SetOutput(0, TensorDataType.Bool, BroadcastInputs(c));
        Fold(c, TensorDataType.Bool,
            ConstantFolder.Ints((a, b) => test(a.CompareTo(b)) ? 1 : 0, symbolic),
            ConstantFolder.Floats((a, b) => test(a.CompareTo(b)) ? 1 : 0));
    };

    private static OpInference Logical(Func<long, long, long> op) => c =>
    {
        c.SetOutput(0, TensorDataType.Bool, BroadcastInputs(c));
        Fold(c, TensorDataType.Bool, ConstantFolder.Ints((a, b) => op(a != 0 ? 1 : 0, b != 0 ? 1 : 0)), null);
    };

    private static void Where(NodeContext c)
    {
        var type = c.InputElementType(1);
        c.SetOutput(0, type, BroadcastInputs(c));
        // The condition is bool and the branches share a type, so fold only when the branches are integers.
        var known = new[] { c.Known(0), c.Known(1), c.Known(2) };
        if (known.All(k => k?.Ints is not null) && ConstantFolder.Elementwise(known, type,
            xs => xs[0].IsKnown ? (xs[0].Value != 0 ? xs[1] : xs[2]) : SymbolicInt.Unknown, null) is { } folded)
        {
            c.SetKnown(0, folded);
        }
    }

    /// <summary>The broadcast of all present inputs; unknown rank when some input's rank is unknown.</summary>
    internal static TensorShape? BroadcastInputs(NodeContext c)
    {
        var shapes = new List<TensorShape>();
        for (var i = 0; i < c.InputCount; i++)
        {
            if (c.HasInput(i))
            {
                if (c.InputType(i).Shape is not { } s)
                {
                    return null;
                }
                shapes.Add(s);
            }
        }
        return shapes.Count == 0 ? throw c.Fail("the node has no inputs") : DimMath.Broadcast(c, shapes);
    }

    private static void Fold(NodeContext c, TensorDataType outType, Func<SymbolicInt[], SymbolicInt>? intOp, Func<double[], double>? floatOp)
    {
        var known = Enumerable.Range(0, c.InputCount).Where(c.HasInput).Select(c.Known).ToArray();
        if (ConstantFolder.Elementwise(known, outType, intOp, floatOp) is { } folded)
        {
            c.SetKnown(0, folded);
        }
    }
}
