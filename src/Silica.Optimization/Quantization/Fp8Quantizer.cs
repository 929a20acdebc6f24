using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;

namespace Silica.Optimization.Quantization;

/// <summary>
/// FP8 E4M3FN in QDQ form (opset 19) for Conv, MatMul and Gemm: weights stored as float8 with one scale per tensor
/// (max|w| / 448) for MatMul and Gemm and one per output channel for Conv (channel magnitudes of convolutions spread
/// far wider, most of all depthwise ones with an unfolded BatchNormalization after them), activations quantized and
/// dequantized with a per-tensor scale from calibration. Models below opset 19 are upgraded first
/// (<see cref="OpsetUpgrade"/>). ONNX Runtime 1.31's CPU provider runs float8 QuantizeLinear/DequantizeLinear but has
/// no float8 GEMM or convolution, so on the CPU the product runs in FP32 on FP8-rounded operands: exactly the numbers
/// an FP8 kernel with FP32 accumulation sees.
/// </summary>
internal static class Fp8Quantizer
{
    public static void Apply(OnnxModel model, QuantizationOptions options, SampleSet calibration, IProgress<int>? progress, ReportBuilder report)
    {
        var graph = model.Graph;
        var targets = TargetSelector.SelectWeighted(graph, options.ExcludeNodes, report);
        if (targets.Count == 0)
        {
            return;
        }
        OpsetUpgrade.ThrowIfUnsupported(model, 19, "FP8 QDQ");
        var activations = targets.Select(t => t.Activation).Distinct().ToList();
        var stats = ActivationCalibrator.Collect(model, [.. activations.Select(v => v.Name)], calibration,
            histograms: options.Method != CalibrationMethod.MinMax, progress);
        // After calibration, so a calibration failure leaves the model's opset as it was.
        if (OpsetUpgrade.To(model, 19, "FP8 QDQ") is { } note)
        {
            report.Notes.Add(note);
        }
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
            var dims = WeightReader.Dims(w);
            var perChannel = t.Node.OpType == "Conv";
            var scales = perChannel ? ChannelScales(values, dims[0]) : [ScaleFor(values.Length == 0 ? 0 : values.Max(MathF.Abs))];
            var bytes = new byte[values.Length];
            var channelSize = values.Length / scales.Length;
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = Float8E4M3.Encode(values[i] / scales[i / channelSize]);
            }
            var q = writer.ByteConstant(t.Weight.Name + "_fp8", TensorDataType.Float8E4M3FN, bytes, dims);
            var scale = writer.FloatConstant(t.Weight.Name + "_scale", scales, perChannel ? [scales.Length] : []);
            var weightZero = perChannel ? writer.ByteConstant("fp8_zero_point", TensorDataType.Float8E4M3FN, new byte[scales.Length], scales.Length) : zero;
            var dq = writer.Dequantize(q, scale, weightZero, perChannel ? 0 : null, t.Weight.Name, TensorShape.Of(dims));
            graph.ReplaceInput(t.Node, 1, dq);
            writer.RemoveIfUnused(t.Weight);
            report.Done(t.Node, perChannel
                ? "QDQ float8 E4M3FN (per-channel weight scales; FP32 convolution on FP8 operands on CPU)"
                : "QDQ float8 E4M3FN (per-tensor scales; FP32 GEMM on FP8 operands on CPU)");
        }
        report.Notes.Add("ONNX Runtime 1.31 CPU computes float8 QDQ correctly only with graph optimization level 'basic' (its extended fusions mishandle float8); Silica's evaluator runs FP8 models so");
        graph.ReorderNodes(graph.TopologicalOrder());
    }

    private static float[] ChannelScales(float[] values, long channels)
    {
        var size = channels == 0 ? 0 : (int)(values.Length / channels);
        var scales = new float[channels];
        for (var c = 0; c < scales.Length; c++)
        {
            var absMax = 0f;
            foreach (var v in values.AsSpan(c * size, size))
            {
                absMax = MathF.Max(absMax, MathF.Abs(v));
            }
            scales[c] = ScaleFor(absMax);
        }
        return scales;
    }

    private static float ScaleFor(double absMax) => absMax > 0 && double.IsFinite(absMax) ? (float)(absMax / Float8E4M3.MaxValue) : 1f;
}
