using Silica.Onnx.Graph;

namespace Silica.Optimization.Quantization;

/// <summary>A node chosen for quantization: its weight input and the weight axis that indexes output channels.</summary>
/// <param name="Node">The Conv, MatMul or Gemm node.</param>
/// <param name="Activation">The activation input (slot 0) as it was before rewriting.</param>
/// <param name="Weight">The constant weight (slot 1).</param>
/// <param name="ChannelAxis">The weight axis of output channels: 0 for Conv and Gemm with transB, 1 for MatMul and Gemm.</param>
internal sealed record QuantTarget(Node Node, Value Activation, Value Weight, int ChannelAxis);
