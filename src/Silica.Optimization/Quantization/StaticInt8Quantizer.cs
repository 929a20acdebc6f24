using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;

namespace Silica.Optimization.Quantization;

/// <summary>
/// INT8 static quantization in QDQ form. Weights: int8, symmetric, per output channel. Activations: uint8,
/// asymmetric, per tensor — the U8S8 pairing ONNX Runtime's CPU kernels (MLAS) compute natively
/// (VPMADDUBSW / VNNI VPDPBUSD multiply unsigned by signed bytes), and asymmetric keeps the full 256 levels
/// for post-ReLU tensors, which are all non-negative. Bias: int32 with scale input × weight scale.
/// </summary>
/// <remarks>
/// Which tensors get a QuantizeLinear/DequantizeLinear pair:
/// - the activation input of every quantized Conv/MatMul/Gemm (only that consumer reads the quantized copy);
/// - its output, or the output of a Relu that is its only consumer (all consumers read the quantized copy),
///   so ONNX Runtime sees <c>DQ → Conv → (Relu) → Q</c> and fuses it into QLinearConv (it drops the Relu when
///   the zero point makes it redundant). Graph outputs are left in FP32.
/// Residual Add: the Add stays FP32. A branch's last Conv output is quantized like any Conv output, but the skip
/// path reaches the Add in FP32 — the tensor feeding the next block is only quantized on the copy the next
/// Conv reads — so the identity path never accumulates quantization error across blocks.
/// Concat: when a Concat's result is quantized, its inputs are too, and all of them share one range (the union),
/// so ONNX Runtime can pass the Concat through in the quantized domain without requantizing.
/// </remarks>
internal static class StaticInt8Quantizer
{
    public static void Apply(OnnxModel model, QuantizationOptions options, SampleSet calibration, IProgress<int>? progress, ReportBuilder report)
    {
        var graph = model.Graph;
        var targets = TargetSelector.SelectWeighted(graph, options.ExcludeNodes, report);
        if (targets.Count == 0)
        {
            return;
        }
        var unfolded = targets.Count(t => t.Node.OpType == "Conv" && t.Node.Output(0)?.Consumers is [{ OpType: "BatchNormalization" }]);
        if (unfolded > 0)
        {
            // Measured on zoo:resnet50 (ORT 1.31, 2 threads): 1.6x over FP32 with BatchNormalization left after each
            // Conv (ORT keeps the BN in FP32 and transposes NHWC<->NCHW around every QLinearConv), 2.45x once folded.
            report.Notes.Add($"{unfolded} Conv nodes feed a BatchNormalization: fold it into the Conv first (the fold-batchnorm pass) for ONNX Runtime's fused integer kernels");
        }
        // Which consumer slots read the quantized copy of each tensor.
        var readers = new Dictionary<Value, HashSet<(Node, int)>>();
        foreach (var t in targets)
        {
            Readers(readers, t.Activation).Add((t.Node, 0));
            var output = OutputPoint(t.Node);
            if (output is not null)
            {
                foreach (var slot in ConsumerSlots(output))
                {
                    Readers(readers, output).Add(slot);
                }
            }
        }
        // A Concat whose result is quantized also gets its inputs quantized (for the Concat itself), all with one
        // shared range below, so ONNX Runtime runs DQ → Concat → Q as a byte copy instead of FP32 work.
        foreach (var concat in graph.Nodes.Where(n => n.OpType == "Concat" && n.IsDefaultDomain && n.Output(0) is { } o && readers.ContainsKey(o)))
        {
            for (var i = 0; i < concat.Inputs.Count; i++)
            {
                if (concat.Inputs[i] is { IsInitializer: false } input)
                {
                    Readers(readers, input).Add((concat, i));
                }
            }
        }
        var tensors = readers.Keys.Where(v => v.Type is null || v.Type.ElementType == TensorDataType.Float).ToList();
        var stats = ActivationCalibrator.Collect(model, [.. tensors.Select(v => v.Name)], calibration,
            histograms: options.Method != CalibrationMethod.MinMax, progress);
        var ranges = tensors.ToDictionary(v => v, v =>
        {
            var s = stats[v.Name];
            return RangeSelector.Select(s, options.Method, options.Percentile, s.Min >= 0 ? 255 : 128);
        });
        ShareConcatRanges(graph, ranges);

        if (OpsetUpgrade.To(model, 10, "INT8 QDQ kernels") is { } note)
        {
            report.Notes.Add(note);
        }
        var writer = new QdqWriter(model);
        var scales = new Dictionary<Value, float>();
        foreach (var v in tensors)
        {
            var range = ranges[v];
            var (scale, zp) = Int8Math.UInt8Asymmetric(range.Min, range.Max);
            var scaleValue = writer.FloatConstant(v.Name + "_scale", [scale]);
            var zpValue = writer.ByteConstant(v.Name + "_zero_point", TensorDataType.UInt8, [zp]);
            writer.InsertQdq(v, scaleValue, zpValue, TensorDataType.UInt8, readers[v]);
            scales[v] = scale;
            report.Scales.Add(new TensorScale(v.Name, range.Min, range.Max, scale, zp));
        }
        foreach (var t in targets)
        {
            if (!scales.TryGetValue(t.Activation, out var inputScale))
            {
                report.Skip(t.Node, SkipReason.UnsupportedInputs, "the activation is not float");
                continue;
            }
            QuantizeWeightAndBias(writer, t, inputScale);
            report.Done(t.Node, $"QDQ int8 (per-channel weights on axis {t.ChannelAxis}, uint8 activations)");
        }
        graph.ReorderNodes(graph.TopologicalOrder());
    }

    private static void QuantizeWeightAndBias(QdqWriter writer, QuantTarget t, float inputScale)
    {
        var w = t.Weight.Initializer!;
        var dims = WeightReader.Dims(w);
        var (q, wScales) = Int8Math.PerChannelSymmetric(WeightReader.Floats(w), dims, t.ChannelAxis);
        var channels = wScales.Length;
        var qValue = writer.ByteConstant(t.Weight.Name + "_quantized", TensorDataType.Int8, System.Runtime.InteropServices.MemoryMarshal.AsBytes(q.AsSpan()).ToArray(), dims);
        var sValue = writer.FloatConstant(t.Weight.Name + "_scale", wScales, channels);
        var zValue = writer.ByteConstant(t.Weight.Name + "_zero_point", TensorDataType.Int8, new byte[channels], channels);
        var dq = writer.Dequantize(qValue, sValue, zValue, t.ChannelAxis, t.Weight.Name, TensorShape.Of(dims));
        writer.Graph.ReplaceInput(t.Node, 1, dq);
        writer.RemoveIfUnused(t.Weight);

        var bias = t.Node.Input(2);
        if (!WeightReader.IsFloatWeight(bias) || bias!.Initializer!.Dims.Count != 1 || bias.Initializer.Dims[0] != channels
            || (t.Node.OpType == "Gemm" && t.Node.Attributes.GetFloat("beta", 1f) != 1f))
        {
            return; // a bias ONNX Runtime cannot fold into the integer kernel stays FP32 (correct, just not fused)
        }
        var (bq, bScales) = Int8Math.Bias(WeightReader.Floats(bias.Initializer), inputScale, wScales);
        var bqValue = writer.Int32Constant(bias.Name + "_quantized", bq, channels);
        var bsValue = writer.FloatConstant(bias.Name + "_scale", bScales, channels);
        var bzValue = writer.Int32Constant(bias.Name + "_zero_point", new int[channels], channels);
        var bdq = writer.Dequantize(bqValue, bsValue, bzValue, 0, bias.Name, TensorShape.Of(channels));
        writer.Graph.ReplaceInput(t.Node, 2, bdq);
        writer.RemoveIfUnused(bias);
    }

    /// <summary>The tensor after a quantized node that gets a QDQ pair: its output, or its lone Relu's.</summary>
    private static Value? OutputPoint(Node node)
    {
        var output = node.Output(0);
        if (output is null || output.IsGraphOutput)
        {
            return null;
        }
        if (output.Consumers.Count == 1 && output.Consumers[0] is { OpType: "Relu", IsDefaultDomain: true } relu)
        {
            output = relu.Output(0);
        }
        return output is null || output.IsGraphOutput || output.Consumers.Count == 0 ? null : output;
    }

    private static IEnumerable<(Node, int)> ConsumerSlots(Value v)
    {
        foreach (var node in v.Consumers.Distinct())
        {
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                if (node.Inputs[i] == v)
                {
                    yield return (node, i);
                }
            }
        }
    }

    private static HashSet<(Node, int)> Readers(Dictionary<Value, HashSet<(Node, int)>> readers, Value v)
    {
        if (!readers.TryGetValue(v, out var set))
        {
            set = [];
            readers.Add(v, set);
        }
        return set;
    }

    /// <summary>Gives every quantized tensor around one Concat the union of their ranges.</summary>
    private static void ShareConcatRanges(OnnxGraph graph, Dictionary<Value, TensorRange> ranges)
    {
        foreach (var concat in graph.Nodes.Where(n => n.OpType == "Concat" && n.IsDefaultDomain))
        {
            var members = concat.Inputs.Append(concat.Output(0)).OfType<Value>().Where(ranges.ContainsKey).Distinct().ToList();
            if (members.Count < 2)
            {
                continue;
            }
            var union = members.Select(m => ranges[m]).Aggregate((a, b) => a.Union(b));
            foreach (var m in members)
            {
                ranges[m] = union;
            }
        }
    }
}
