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

    /// <summary>Bytes of constant data: initializers and Constant nodes (some exporters store every weight in one).</summary>
    public static long WeightBytes(OnnxGraph graph) =>
        graph.Initializers.Sum(v => TensorData.ByteSize(v.Initializer!))
        + graph.Nodes.Where(n => n.OpType == "Constant").Sum(n => n.Attributes.GetTensor("value") is { } t ? TensorData.ByteSize(t) : 0);
}
