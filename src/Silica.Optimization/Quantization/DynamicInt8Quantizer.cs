using System.Runtime.InteropServices;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Quantization;

/// <summary>
/// INT8 dynamic quantization: each MatMul/Gemm with a constant 2-D weight becomes ONNX Runtime's
/// <c>com.microsoft.DynamicQuantizeMatMul</c> — int8 weights, per output column, symmetric; the activation is
/// quantized to uint8 from its own range on every run, inside the kernel. That is the node ORT's own
/// optimizer fuses <c>DynamicQuantizeLinear + MatMulInteger + Mul</c> into, so emitting it directly gives the
/// same integer kernel with no reliance on the fusion.
/// </summary>
internal static class DynamicInt8Quantizer
{
    public const string MicrosoftDomain = "com.microsoft";

    private static readonly HashSet<string> Ops = ["MatMul", "Gemm"];

    public static void Apply(OnnxModel model, QuantizationOptions options, ReportBuilder report)
    {
        var graph = model.Graph;
        var targets = TargetSelector.Select(graph, Ops, options.ExcludeNodes, needPlainGemm: true, report);
        if (targets.Count == 0)
        {
            report.Notes.Add("no MatMul or Gemm with a constant 2-D weight to quantize");
            return;
        }
        var writer = new QdqWriter(model);
        foreach (var t in targets)
        {
            var w = t.Weight.Initializer!;
            var dims = WeightReader.Dims(w);
            var values = WeightReader.Floats(w);
            if (t.ChannelAxis == 0)
            {
                // Gemm with transB: the kernel wants B as [K, N].
                values = Transpose(values, dims[0], dims[1]);
                dims = [dims[1], dims[0]];
            }
            var (q, scales) = Int8Math.PerChannelSymmetric(values, dims, 1);
            var n = dims[1];
            var qValue = writer.ByteConstant(t.Weight.Name + "_quantized", TensorDataType.Int8, MemoryMarshal.AsBytes(q.AsSpan()).ToArray(), dims);
            var sValue = writer.FloatConstant(t.Weight.Name + "_scale", scales, n);
            var bias = t.Node.OpType == "Gemm" ? t.Node.Input(2) : null;
            var output = t.Node.Outputs[0]!;
            var name = t.Node.Name;
            graph.RemoveNode(t.Node);
            graph.AddNode("DynamicQuantizeMatMul", [t.Activation, qValue, sValue, null, bias], [output.Name], name: name, domain: MicrosoftDomain);
            writer.RemoveIfUnused(t.Weight);
            report.Done(t.Node, "DynamicQuantizeMatMul (int8 per-column weights, uint8 activations quantized per run)");
        }
        model.SetOpset(MicrosoftDomain, 1);
        graph.ReorderNodes(graph.TopologicalOrder());
    }

    private static float[] Transpose(float[] values, long rows, long cols)
    {
        var result = new float[values.Length];
        for (long r = 0; r < rows; r++)
        {
            for (long c = 0; c < cols; c++)
            {
                result[(c * rows) + r] = values[(r * cols) + c];
            }
        }
        return result;
    }
}
