namespace Silica.Onnx.Cost;

/// <summary>The static cost of one node at the model's bound shapes (see docs/cost-model.md for the formulas).</summary>
/// <param name="NodeName">The node's name.</param>
/// <param name="OpType">The operator.</param>
/// <param name="OpClass">The operator's family.</param>
/// <param name="Flops">Floating-point (or integer) operations; a multiply-add counts as 2.</param>
/// <param name="BytesRead">Bytes of activations and parameters the node reads.</param>
/// <param name="BytesWritten">Bytes of outputs the node writes.</param>
/// <param name="ParameterCount">Elements of the floating-point initializers the node reads.</param>
/// <param name="ParameterBytes">Bytes of those initializers.</param>
/// <param name="IsKnown">False when shapes the formula needs were unknown; the costs are then zero.</param>
public sealed record NodeCost(
    string NodeName,
    string OpType,
    OpClass OpClass,
    double Flops,
    long BytesRead,
    long BytesWritten,
    long ParameterCount,
    long ParameterBytes,
    bool IsKnown)
{
    /// <summary>FLOPs per byte moved (0 when nothing is moved).</summary>
    public double ArithmeticIntensity => BytesRead + BytesWritten > 0 ? Flops / (BytesRead + BytesWritten) : 0;
}
