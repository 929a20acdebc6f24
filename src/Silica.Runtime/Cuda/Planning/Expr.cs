namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// An elementwise expression fused into one kernel (see <see cref="ElementwiseStep"/>). Evaluated in float, or in
/// 64-bit integers when every input and the output are integer or bool; comparisons give 1 or 0.
/// </summary>
internal abstract record Expr;

/// <summary>The value of <see cref="ElementwiseStep.Inputs"/>[Index] at this element (broadcast).</summary>
internal sealed record InputExpr(int Index) : Expr;

internal sealed record ConstExpr(double Value) : Expr;

internal sealed record UnaryExpr(UnaryOp Op, Expr X) : Expr;

internal sealed record BinaryExpr(BinaryOp Op, Expr A, Expr B) : Expr;

/// <summary>min(max(X, Min), Max); infinities allowed.</summary>
internal sealed record ClipExpr(Expr X, double Min, double Max) : Expr;

/// <summary>Cond != 0 ? A : B.</summary>
internal sealed record WhereExpr(Expr Cond, Expr A, Expr B) : Expr;

/// <summary>max(0, min(1, Alpha·X + Beta)).</summary>
internal sealed record HardSigmoidExpr(Expr X, double Alpha, double Beta) : Expr;

internal enum UnaryOp
{
    Neg,
    Abs,
    Relu,
    Sigmoid,
    Tanh,
    Erf,
    Exp,
    Log,
    Sqrt,
    Reciprocal,
    Not,
    Floor,
    Ceil,
    Round,
    Sin,
    Cos,

    /// <summary>x · HardSigmoid(x) with alpha 1/6, beta 0.5.</summary>
    HardSwish,

    /// <summary>Identity (a Cast folded into the chain: the store converts).</summary>
    Identity,
}

internal enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Max,
    Min,
    Mod,
    Equal,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
    And,
    Or,
    Xor,
}
