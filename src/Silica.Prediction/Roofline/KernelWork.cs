using Silica.Onnx.Cost;

namespace Silica.Prediction;

/// <summary>The work of one kernel (one ONNX node) at a bound batch size, as the roofline consumes it.</summary>
/// <param name="NodeName">The node's name.</param>
/// <param name="OpClass">The cost model's operator family (for "where the time goes").</param>
/// <param name="Group">The efficiency group the predictor uses.</param>
/// <param name="Flops">FLOPs (multiply-add = 2).</param>
/// <param name="ActivationBytes">Bytes of activations read and written, in the model's stored precision.</param>
/// <param name="WeightBytes">Bytes of parameters read, in the model's stored precision.</param>
public sealed record KernelWork(string NodeName, OpClass OpClass, OpGroup Group, double Flops, double ActivationBytes, double WeightBytes);
