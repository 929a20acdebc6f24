using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Quantization;

/// <summary>Collects what the quantizer did while it rewrites.</summary>
internal sealed class ReportBuilder
{
    public List<QuantizedNode> Quantized { get; } = [];

    public List<SkippedNode> Skipped { get; } = [];

    public List<TensorScale> Scales { get; } = [];

    public List<string> Notes { get; } = [];

    public void Skip(Node node, SkipReason reason, string detail) => Skipped.Add(new SkippedNode(node.Name, node.OpType, reason, detail));

    public void Done(Node node, string form) => Quantized.Add(new QuantizedNode(node.Name, node.OpType, form));

    public static long WeightBytes(OnnxGraph graph) => graph.Initializers.Sum(v => TensorData.ByteSize(v.Initializer!));
}
