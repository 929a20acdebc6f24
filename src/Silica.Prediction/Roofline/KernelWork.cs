using Silica.Onnx.Cost;

namespace Silica.Prediction;

/// <summary>The work of one kernel (one ONNX node) at a bound batch size, as the roofline consumes it.</summary>
/// <param name="NodeName">The node's name.</param>
/// <param name="OpClass">The cost model's operator family (for "where the time goes").</param>
/// <param name="Group">The efficiency group the predictor uses.</param>
/// <param name="Flops">FLOPs (multiply-add = 2).</param>
/// <param name="ActivationBytes">Bytes of activations read and written, in the model's stored precision.</param>
/// <param name="WeightBytes">Bytes of parameters read, in the model's stored precision.</param>
/// <param name="Fusion">Whether a runtime can fold this kernel into the one that produces its input.</param>
public sealed record KernelWork(string NodeName, OpClass OpClass, OpGroup Group, double Flops, double ActivationBytes, double WeightBytes,
    FusionKind Fusion = FusionKind.None);

/// <summary>How a kernel can disappear into its producer at run time.</summary>
public enum FusionKind
{
    /// <summary>Runs as its own kernel.</summary>
    None,

    /// <summary>
    /// An elementwise op, activation or batch norm applied to the sole output of a matrix product or convolution (or of
    /// such a fused chain): every serious runtime runs it in the producer's epilogue (ONNX Runtime's Conv+BN folding and
    /// Conv/MatMul activation fusions, TensorRT, XLA, Neuron).
    /// </summary>
    Epilogue,

    /// <summary>
    /// An elementwise op or activation on the sole output of another vector kernel: whole-graph compilers (XLA, Neuron,
    /// TensorRT) fuse such chains into one pass over memory; operator-at-a-time runtimes do not.
    /// </summary>
    Chain,
}
