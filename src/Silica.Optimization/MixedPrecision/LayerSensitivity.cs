namespace Silica.Optimization.MixedPrecision;

/// <summary>What keeping one layer (or group of layers) alone in higher precision does to a fully lowered model.</summary>
/// <param name="Nodes">The node names measured together (one, unless the model had more layers than probes).</param>
/// <param name="OpType">The operator of the first node.</param>
/// <param name="Sensitivity">
/// How much the output distortion (<see cref="MixedPrecisionResult.DistortionKind"/>) falls when these nodes alone
/// stay in higher precision: the distortion of the full lowering minus <see cref="Distortion"/>. Continuous, so
/// layers rank even when the task metric does not move on the probe samples; the search keeps the largest first.
/// </param>
/// <param name="Distortion">The output distortion with these nodes kept and everything else lowered.</param>
/// <param name="MetricGain">The task metric with these nodes kept minus with none kept, on the same probe samples.</param>
public sealed record LayerSensitivity(IReadOnlyList<string> Nodes, string OpType, double Sensitivity, double Distortion = 0, double MetricGain = 0);
