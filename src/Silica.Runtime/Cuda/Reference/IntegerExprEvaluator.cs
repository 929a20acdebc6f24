using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

/// <summary>
/// Evaluates an <see cref="Expr"/> in 64-bit integers (all inputs and the output integer or bool): Div truncates like C,
/// Mod takes the divisor's sign (ONNX Mod with fmod=0), comparisons and logic give 1 or 0, and the float-only unary
/// functions go through double and truncate back.
/// </summary>
internal sealed class IntegerExprEvaluator(long[][] inputs, int[][] maps)
{
    private readonly int _count = maps.Length > 0 ? maps[0].Length : 0;

    public long[] Evaluate(Expr expr)
    {
        switch (expr)
        {
            case InputExpr e:
                var source = inputs[e.Index];
                var map = maps[e.Index];
                var gathered = new long[map.Length];
                for (var i = 0; i < map.Length; i++)
                {
                    gathered[i] = source[map[i]];
                }
                return gathered;
            case ConstExpr e:
                {
                    var values = new long[_count];
                    values.AsSpan().Fill((long)e.Value);
                    return values;
                }
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
                return Map(Evaluate(e.X), x => (long)Math.Min(Math.Max(x, e.Min), e.Max));
            case HardSigmoidExpr e:
                return Map(Evaluate(e.X), x => (long)Math.Max(0, Math.Min(1, (e.Alpha * x) + e.Beta)));
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

    public static long Unary(UnaryOp op, long x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Relu => Math.Max(x, 0),
        UnaryOp.Not => x == 0 ? 1 : 0,
        UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Identity => x,
        _ => (long)FloatExprEvaluator.Unary(op, x),
    };

    public static long Binary(BinaryOp op, long a, long b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => b == 0 ? 0 : a / b,
        BinaryOp.Pow => IntegerPow(a, b),
        BinaryOp.Max => Math.Max(a, b),
        BinaryOp.Min => Math.Min(a, b),
        BinaryOp.Mod => b == 0 ? 0 : (((a % b) + b) % b),
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

    private static long IntegerPow(long a, long b)
    {
        if (b < 0)
        {
            return a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0;
        }
        // Square-and-multiply, wrapping on overflow like the device's int64 arithmetic.
        long result = 1;
        for (; b > 0; b >>= 1)
        {
            if ((b & 1) != 0)
            {
                result = unchecked(result * a);
            }
            a = unchecked(a * a);
        }
        return result;
    }

    private static long[] Map(long[] values, Func<long, long> f)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = f(values[i]);
        }
        return values;
    }
}
