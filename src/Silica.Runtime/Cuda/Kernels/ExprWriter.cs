using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Writes an <see cref="Expr"/> as one C expression over the loaded inputs <c>v0, v1, …</c>, either in float or in
/// 64-bit integers (<see cref="ElementwiseStep"/>: integer when every operand is an integer or bool).
/// </summary>
internal static class ExprWriter
{
    public static string Write(Expr expr, bool integer) => integer ? Int(expr) : Float(expr);

    private static string Float(Expr expr) => expr switch
    {
        InputExpr e => $"v{e.Index}",
        ConstExpr e => CudaSource.Float(e.Value),
        UnaryExpr e => FloatUnary(e.Op, Float(e.X)),
        BinaryExpr e => FloatBinary(e.Op, Float(e.A), Float(e.B)),
        ClipExpr e => FloatClip(Float(e.X), e.Min, e.Max),
        WhereExpr e => $"(({Float(e.Cond)}) != 0.0f ? ({Float(e.A)}) : ({Float(e.B)}))",
        HardSigmoidExpr e => $"fmaxf(0.0f, fminf(1.0f, {CudaSource.Float(e.Alpha)} * ({Float(e.X)}) + {CudaSource.Float(e.Beta)}))",
        _ => throw new NotSupportedException($"Expression {expr.GetType().Name} has no CUDA form."),
    };

    private static string FloatUnary(UnaryOp op, string x) => op switch
    {
        UnaryOp.Neg => $"(-({x}))",
        UnaryOp.Abs => $"fabsf({x})",
        UnaryOp.Relu => $"fmaxf({x}, 0.0f)",
        // expf, not __expf: sigmoid and tanh feed GELU/SiLU chains compared against ONNX Runtime at 1e-4.
        UnaryOp.Sigmoid => $"(1.0f / (1.0f + expf(-({x}))))",
        UnaryOp.Tanh => $"tanhf({x})",
        UnaryOp.Erf => $"erff({x})",
        UnaryOp.Exp => $"expf({x})",
        UnaryOp.Log => $"logf({x})",
        UnaryOp.Sqrt => $"sqrtf({x})",
        UnaryOp.Reciprocal => $"(1.0f / ({x}))",
        UnaryOp.Not => $"(({x}) == 0.0f ? 1.0f : 0.0f)",
        UnaryOp.Floor => $"floorf({x})",
        UnaryOp.Ceil => $"ceilf({x})",
        // ONNX Round is half-to-even, which rintf does in the default rounding mode.
        UnaryOp.Round => $"rintf({x})",
        UnaryOp.Sin => $"sinf({x})",
        UnaryOp.Cos => $"cosf({x})",
        UnaryOp.HardSwish => $"hard_swish({x})",
        UnaryOp.Identity => $"({x})",
        _ => throw new NotSupportedException($"Unary {op} has no CUDA form."),
    };

    private static string FloatBinary(BinaryOp op, string a, string b) => op switch
    {
        BinaryOp.Add => $"(({a}) + ({b}))",
        BinaryOp.Sub => $"(({a}) - ({b}))",
        BinaryOp.Mul => $"(({a}) * ({b}))",
        BinaryOp.Div => $"(({a}) / ({b}))",
        BinaryOp.Pow => $"powf({a}, {b})",
        BinaryOp.Max => $"fmaxf({a}, {b})",
        BinaryOp.Min => $"fminf({a}, {b})",
        // Float Mod is only valid with fmod=1 in ONNX: C fmod semantics (sign of the dividend).
        BinaryOp.Mod => $"fmodf({a}, {b})",
        BinaryOp.Equal => $"(({a}) == ({b}) ? 1.0f : 0.0f)",
        BinaryOp.Less => $"(({a}) < ({b}) ? 1.0f : 0.0f)",
        BinaryOp.Greater => $"(({a}) > ({b}) ? 1.0f : 0.0f)",
        BinaryOp.LessOrEqual => $"(({a}) <= ({b}) ? 1.0f : 0.0f)",
        BinaryOp.GreaterOrEqual => $"(({a}) >= ({b}) ? 1.0f : 0.0f)",
        BinaryOp.And => $"((({a}) != 0.0f && ({b}) != 0.0f) ? 1.0f : 0.0f)",
        BinaryOp.Or => $"((({a}) != 0.0f || ({b}) != 0.0f) ? 1.0f : 0.0f)",
        BinaryOp.Xor => $"((({a}) != 0.0f) != (({b}) != 0.0f) ? 1.0f : 0.0f)",
        _ => throw new NotSupportedException($"Binary {op} has no CUDA form."),
    };

    private static string FloatClip(string x, double min, double max)
    {
        var s = x;
        if (!double.IsNegativeInfinity(min))
        {
            s = $"fmaxf({s}, {CudaSource.Float(min)})";
        }
        if (!double.IsPositiveInfinity(max))
        {
            s = $"fminf({s}, {CudaSource.Float(max)})";
        }
        return $"({s})";
    }

    private static string Int(Expr expr) => expr switch
    {
        InputExpr e => $"v{e.Index}",
        ConstExpr e => CudaSource.Int((long)Math.Truncate(e.Value)),
        UnaryExpr e => IntUnary(e.Op, Int(e.X)),
        BinaryExpr e => IntBinary(e.Op, Int(e.A), Int(e.B)),
        ClipExpr e => IntClip(Int(e.X), e.Min, e.Max),
        WhereExpr e => $"(({Int(e.Cond)}) != 0 ? ({Int(e.A)}) : ({Int(e.B)}))",
        HardSigmoidExpr e => $"(i64)({FloatFromInt(e.X, x => $"fmaxf(0.0f, fminf(1.0f, {CudaSource.Float(e.Alpha)} * {x} + {CudaSource.Float(e.Beta)}))")})",
        _ => throw new NotSupportedException($"Expression {expr.GetType().Name} has no CUDA form."),
    };

    private static string FloatFromInt(Expr x, Func<string, string> body) => body($"(float)({Int(x)})");

    private static string IntUnary(UnaryOp op, string x) => op switch
    {
        UnaryOp.Neg => $"(-({x}))",
        UnaryOp.Abs => $"i64abs({x})",
        UnaryOp.Relu => $"i64max({x}, 0LL)",
        UnaryOp.Not => $"(({x}) == 0 ? 1LL : 0LL)",
        UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Identity => $"({x})",
        // Transcendentals on integers (rare: Sqrt of a shape) go through float and truncate.
        _ => $"(i64)({FloatUnary(op, $"(float)({x})")})",
    };

    private static string IntBinary(BinaryOp op, string a, string b) => op switch
    {
        BinaryOp.Add => $"(({a}) + ({b}))",
        BinaryOp.Sub => $"(({a}) - ({b}))",
        BinaryOp.Mul => $"(({a}) * ({b}))",
        BinaryOp.Div => $"int_div({a}, {b})",
        BinaryOp.Pow => $"int_pow({a}, {b})",
        BinaryOp.Max => $"i64max({a}, {b})",
        BinaryOp.Min => $"i64min({a}, {b})",
        // Integer Mod with fmod=0: the result takes the divisor's sign (Python %).
        BinaryOp.Mod => $"int_mod({a}, {b})",
        BinaryOp.Equal => $"(({a}) == ({b}) ? 1LL : 0LL)",
        BinaryOp.Less => $"(({a}) < ({b}) ? 1LL : 0LL)",
        BinaryOp.Greater => $"(({a}) > ({b}) ? 1LL : 0LL)",
        BinaryOp.LessOrEqual => $"(({a}) <= ({b}) ? 1LL : 0LL)",
        BinaryOp.GreaterOrEqual => $"(({a}) >= ({b}) ? 1LL : 0LL)",
        BinaryOp.And => $"((({a}) != 0 && ({b}) != 0) ? 1LL : 0LL)",
        BinaryOp.Or => $"((({a}) != 0 || ({b}) != 0) ? 1LL : 0LL)",
        BinaryOp.Xor => $"((({a}) != 0) != (({b}) != 0) ? 1LL : 0LL)",
        _ => throw new NotSupportedException($"Binary {op} has no CUDA form."),
    };

    private static string IntClip(string x, double min, double max)
    {
        var s = x;
        if (!double.IsInfinity(min))
        {
            s = $"i64max({s}, {CudaSource.Int((long)Math.Ceiling(min))})";
        }
        if (!double.IsInfinity(max))
        {
            s = $"i64min({s}, {CudaSource.Int((long)Math.Floor(max))})";
        }
        return $"({s})";
    }

    /// <summary>Device helpers the expressions call; emitted once per elementwise source.</summary>
    public const string Helpers = """
        SILICA_DEV float hard_swish(float x) { return x * fmaxf(0.0f, fminf(1.0f, x * (1.0f / 6.0f) + 0.5f)); }
        SILICA_DEV i64 int_div(i64 a, i64 b) { return b == 0 ? 0 : a / b; }
        SILICA_DEV i64 int_mod(i64 a, i64 b) {
          if (b == 0) return 0;
          i64 r = a % b;
          return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        }
        SILICA_DEV i64 int_pow(i64 a, i64 b) {
          if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) ? -1 : 1) : 0);
          i64 r = 1;
          while (b > 0) { if (b & 1) r *= a; a *= a; b >>= 1; }
          return r;
        }

        """;
}
