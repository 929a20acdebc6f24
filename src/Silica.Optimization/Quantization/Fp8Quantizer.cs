using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;

namespace Silica.Optimization.Quantization;

/// <summary>
/// FP8 E4M3FN in QDQ form (opset 19) for MatMul and Gemm: weights stored as float8 with one scale per tensor
/// (max|w| / 448), activations quantized and dequantized with a per-tensor scale from calibration. ONNX Runtime
/// 1.31's CPU provider runs float8 QuantizeLinear/DequantizeLinear but has no float8 GEMM, so on the CPU the
/// product runs in FP32 on FP8-rounded operands: exactly the numbers an FP8 GEMM with FP32 accumulation sees.
/// </summary>
internal static class Fp8Quantizer
{
    private static readonly HashSet<string> Ops = ["MatMul", "Gemm"];

    public static void Apply(OnnxModel model, QuantizationOptions options, SampleSet calibration, IProgress<int>? progress, ReportBuilder report)
    {
        var graph = model.Graph;
        var targets = TargetSelector.Select(graph, Ops, options.ExcludeNodes, needPlainGemm: false, report);
        if (targets.Count == 0)
        {
            report.Notes.Add("no MatMul or Gemm with a constant weight to quantize");
            return;
        }
        if (OpsetUpgrade.To(model, 19, "FP8 QDQ") is { } note)
        {
            report.Notes.Add(note);
        }
        var activations = targets.Select(t => t.Activation).Distinct().ToList();
        var stats = ActivationCalibrator.Collect(model, [.. activations.Select(v => v.Name)], calibration,
            histograms: options.Method != CalibrationMethod.MinMax, progress);
        var writer = new QdqWriter(model);
        var zero = writer.ByteConstant("fp8_zero_point", TensorDataType.Float8E4M3FN, [0]);
        foreach (var v in activations)
        {
            var range = RangeSelector.Select(stats[v.Name], options.Method, options.Percentile, 128);
            var scale = ScaleFor(range.AbsMax);
            var readers = targets.Where(t => t.Activation == v).Select(t => (t.Node, 0));
            writer.InsertQdq(v, writer.FloatConstant(v.Name + "_scale", [scale]), zero, TensorDataType.Float8E4M3FN, readers);
            report.Scales.Add(new TensorScale(v.Name, -range.AbsMax, range.AbsMax, scale, 0));
        }
        foreach (var t in targets)
        {
            var w = t.Weight.Initializer!;
            var values = WeightReader.Floats(w);
            var scale = ScaleFor(values.Length == 0 ? 0 : values.Max(MathF.Abs));
            var bytes = new byte[values.Length];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = Float8E4M3.Encode(values[i] / scale);
            }
            var dims = WeightReader.Dims(w);
            var q = writer.ByteConstant(t.Weight.Name + "_fp8", TensorDataType.Float8E4M3FN, bytes, dims);
            var dq = writer.Dequantize(q, writer.FloatConstant(t.Weight.Name + "_scale", [scale]), zero, null, t.Weight.Name, TensorShape.Of(dims));
            graph.ReplaceInput(t.Node, 1, dq);
            writer.RemoveIfUnused(t.Weight);
            report.Done(t.Node, "QDQ float8 E4M3FN (per-tensor scales; FP32 GEMM on FP8 operands on CPU)");
        }
        report.Notes.Add("ONNX Runtime 1.31 CPU computes float8 QDQ correctly only with graph optimization level 'basic' (its extended fusions mishandle float8); Silica's evaluator runs FP8 models so");
        graph.ReorderNodes(graph.TopologicalOrder());
    }

    private static float ScaleFor(double absMax) => absMax > 0 && double.IsFinite(absMax) ? (float)(absMax / Float8E4M3.MaxValue) : 1f;
}
