using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

/// <summary>
/// Evaluates an <see cref="Expr"/> in float over whole arrays, one tree node at a time (each input broadcast through its
/// index map). Float like the device: each operation rounds to float. Mod is C fmod (ONNX Mod with fmod=1, the only
/// float form ONNX allows).
/// </summary>
internal sealed class FloatExprEvaluator(float[][] inputs, int[][] maps)
{
    private readonly int _count = maps.Length > 0 ? maps[0].Length : 0;

    public float[] Evaluate(Expr expr)
    {
        switch (expr)
        {
            case InputExpr e:
                var source = inputs[e.Index];
                var map = maps[e.Index];
                var gathered = new float[map.Length];
                for (var i = 0; i < map.Length; i++)
                {
                    gathered[i] = source[map[i]];
                }
                return gathered;
            case ConstExpr e:
                return Filled((float)e.Value);
            case UnaryExpr e:
                return Map(Evaluate(e.X), x => Unary(e.Op, x));
            case BinaryExpr e:
                {
                    var a = Evaluate(e.A);
                    var b = Evaluate(e.B);
                    for (var i = 0; i < a.Length; i++)
                    {
                        a[i] = Binary(e.Op, a[i], b[i]);
                    }
                    return a;
                }
            case ClipExpr e:
                return Map(Evaluate(e.X), x => MathF.Min(MathF.Max(x, (float)e.Min), (float)e.Max));
            case HardSigmoidExpr e:
                return Map(Evaluate(e.X), x => HardSigmoid(x, (float)e.Alpha, (float)e.Beta));
            case WhereExpr e:
                {
                    var c = Evaluate(e.Cond);
                    var a = Evaluate(e.A);
                    var b = Evaluate(e.B);
                    for (var i = 0; i < c.Length; i++)
                    {
                        c[i] = c[i] != 0 ? a[i] : b[i];
                    }
                    return c;
                }
            default:
                throw new NotSupportedException($"expression {expr.GetType().Name}");
        }
    }

    public static float Unary(UnaryOp op, float x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => MathF.Abs(x),
        UnaryOp.Relu => x > 0 ? x : 0,
        UnaryOp.Sigmoid => 1 / (1 + MathF.Exp(-x)),
        UnaryOp.Tanh => MathF.Tanh(x),
        UnaryOp.Erf => (float)ScalarMath.Erf(x),
        UnaryOp.Exp => MathF.Exp(x),
        UnaryOp.Log => MathF.Log(x),
        UnaryOp.Sqrt => MathF.Sqrt(x),
        UnaryOp.Reciprocal => 1 / x,
        UnaryOp.Not => x == 0 ? 1 : 0,
        UnaryOp.Floor => MathF.Floor(x),
        UnaryOp.Ceil => MathF.Ceiling(x),
        UnaryOp.Round => MathF.Round(x, MidpointRounding.ToEven),
        UnaryOp.Sin => MathF.Sin(x),
        UnaryOp.Cos => MathF.Cos(x),
        UnaryOp.HardSwish => x * HardSigmoid(x, 1f / 6, 0.5f),
        UnaryOp.Identity => x,
        _ => throw new NotSupportedException($"unary {op}"),
    };

    public static float Binary(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Pow => MathF.Pow(a, b),
        BinaryOp.Max => MathF.Max(a, b),
        BinaryOp.Min => MathF.Min(a, b),
        BinaryOp.Mod => a % b,
        BinaryOp.Equal => a == b ? 1 : 0,
        BinaryOp.Less => a < b ? 1 : 0,
        BinaryOp.Greater => a > b ? 1 : 0,
        BinaryOp.LessOrEqual => a <= b ? 1 : 0,
        BinaryOp.GreaterOrEqual => a >= b ? 1 : 0,
        BinaryOp.And => a != 0 && b != 0 ? 1 : 0,
        BinaryOp.Or => a != 0 || b != 0 ? 1 : 0,
        BinaryOp.Xor => (a != 0) != (b != 0) ? 1 : 0,
        _ => throw new NotSupportedException($"binary {op}"),
    };

    private static float HardSigmoid(float x, float alpha, float beta) => MathF.Max(0, MathF.Min(1, (alpha * x) + beta));

    private float[] Filled(float value)
    {
        var values = new float[_count];
        values.AsSpan().Fill(value);
        return values;
    }

    private static float[] Map(float[] values, Func<float, float> f)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = f(values[i]);
        }
        return values;
    }
}
