namespace Silica.Optimization.MixedPrecision;

/// <summary>How much the score recovers when one layer (or group of layers) alone stays in higher precision.</summary>
/// <param name="Nodes">The node names measured together (one, unless the model had more layers than probes).</param>
/// <param name="OpType">The operator of the first node.</param>
/// <param name="Sensitivity">
/// Metric score with these nodes kept in higher precision minus the score with everything lowered: the accuracy
/// this layer's lowering costs, with every other layer lowered too.
/// </param>
public sealed record LayerSensitivity(IReadOnlyList<string> Nodes, string OpType, double Sensitivity);
