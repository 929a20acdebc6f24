using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;
using Silica.Optimization.Passes;

namespace Silica.Optimization.Precision;

/// <summary>
/// Converts a float32 model to FP16 or BF16: weights are stored in the target type and every float node runs
/// in it, except numerically sensitive operators (<see cref="HalfPrecisionOptions.DefaultKeepOpTypes"/>) and
/// named nodes, which stay FP32. Casts appear only where a value crosses between the two regions, one per
/// value and direction, and at graph inputs and outputs, which keep their type unless asked otherwise.
/// </summary>
/// <remarks>
/// Data-movement operators (Reshape, Transpose, Gather, Concat, …) follow their input's precision, so a kept
/// region and a converted one meet at a single Cast. An initializer read by both regions is stored twice
/// (FP32 and half) instead of being cast at run time. Integer and shape computations are never touched. A node
/// whose FP32 weights exceed 65504 stays FP32 rather than having them clamped.
/// <para>
/// On ONNX Runtime's CPU provider an FP16 model loads and runs: for FP16 nodes without an FP16 kernel its
/// InsertCastTransformer computes in FP32 between FP16 tensors (each tensor still rounded to FP16, so accuracy
/// measured there is that of FP16 storage with FP32 arithmetic). BF16 has no such fallback; see
/// <see cref="BFloat16Emulation"/>.
/// </para>
/// </remarks>
public static class HalfPrecisionConverter
{
    /// <summary>Converts <paramref name="model"/> in place.</summary>
    /// <exception cref="ArgumentException">The target is not Float16 or BFloat16.</exception>
    /// <exception cref="NotSupportedException">BFloat16 on a model below opset 13 with a node the opset upgrade cannot carry over.</exception>
    public static ConversionReport Convert(OnnxModel model, HalfPrecisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Target is not (TensorDataType.Float16 or TensorDataType.BFloat16))
        {
            throw new ArgumentException($"half-precision target must be float16 or bfloat16, not {options.Target.DisplayName()}", nameof(options));
        }
        if (options.Target == TensorDataType.BFloat16)
        {
            // Cast takes bfloat16 only from opset 13; older models (the PaddleOCR exports are opset 9 and 11) are
            // upgraded first, exactly (the version converter refuses any node it cannot carry over).
            Quantization.OpsetUpgrade.To(model, 13, "BF16 casts");
        }
        var graph = model.Graph;
        // Paddle exports keep weights in Constant nodes: make them initializers first, so they count and convert.
        ConstantNodes.ToInitializers(graph);
        var sizeBefore = graph.Initializers.Sum(v => TensorData.ByteSize(v.Initializer!));
        ShapeInferencer.Infer(model);

        var plan = PrecisionPlan.Create(graph, options);
        var rewrite = new PrecisionRewriter(graph, plan, options);
        rewrite.Apply();
        GraphEdits.Resort(graph);

        var sizeAfter = graph.Initializers.Sum(v => TensorData.ByteSize(v.Initializer!));
        return new ConversionReport(options.Target, plan.ConvertedOps(), plan.Kept, rewrite.CastsInserted, rewrite.InitializersConverted,
            rewrite.ValuesClamped, sizeBefore, sizeAfter);
    }
}
