namespace Silica.Onnx.Cost;

/// <summary>
/// A model's static cost: per node and in total. Totals count a shared initializer (for example a tied
/// embedding) once, so <see cref="ParameterCount"/> can be less than the sum over nodes.
/// </summary>
/// <param name="Nodes">Per-node costs in topological order.</param>
/// <param name="Flops">Total FLOPs (multiply-add = 2).</param>
/// <param name="BytesRead">Total bytes read.</param>
/// <param name="BytesWritten">Total bytes written.</param>
/// <param name="ParameterCount">Distinct floating-point parameters.</param>
/// <param name="ParameterBytes">Their bytes.</param>
/// <param name="UnknownNodes">Nodes whose cost could not be counted (shapes unknown).</param>
public sealed record ModelCost(
    IReadOnlyList<NodeCost> Nodes,
    double Flops,
    long BytesRead,
    long BytesWritten,
    long ParameterCount,
    long ParameterBytes,
    int UnknownNodes)
{
    /// <summary>Multiply-accumulates: FLOPs / 2.</summary>
    public double Macs => Flops / 2;

    /// <summary>FLOPs per byte moved over the whole model.</summary>
    public double ArithmeticIntensity => BytesRead + BytesWritten > 0 ? Flops / (BytesRead + BytesWritten) : 0;

    /// <summary>Totals per operator class.</summary>
    public IReadOnlyDictionary<OpClass, OpClassCost> ByOpClass() =>
        Nodes.GroupBy(n => n.OpClass).ToDictionary(g => g.Key, g => new OpClassCost(g.Count(), g.Sum(n => n.Flops), g.Sum(n => n.BytesRead + n.BytesWritten)));

    /// <summary>Node counts per operator.</summary>
    public IReadOnlyDictionary<string, int> OpHistogram() =>
        Nodes.GroupBy(n => n.OpType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
