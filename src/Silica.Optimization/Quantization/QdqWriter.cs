using System.Runtime.InteropServices;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Adds QuantizeLinear/DequantizeLinear pairs and quantized constants to a graph. Per-axis Q/DQ needs opset
/// 13; for older models (the PaddleOCR exports are opset 9) the pairs use ONNX Runtime's com.microsoft
/// QuantizeLinear/DequantizeLinear, which take the same inputs and an axis and which ORT's QDQ fusions accept,
/// so the model's other operators keep the semantics of the opset they were exported for.
/// </summary>
internal sealed class QdqWriter
{
    private readonly string _domain;

    public QdqWriter(OnnxModel model)
    {
        Graph = model.Graph;
        _domain = model.Opset >= 13 ? "" : DynamicInt8Quantizer.MicrosoftDomain;
        if (_domain.Length > 0)
        {
            model.SetOpset(_domain, 1);
        }
    }

    public OnnxGraph Graph { get; }

    /// <summary>A new float initializer (scalar when <paramref name="dims"/> is empty).</summary>
    public Value FloatConstant(string prefix, float[] values, params long[] dims) =>
        Graph.AddInitializer(TensorData.FromFloats(Graph.UniqueName(prefix), dims, values));

    /// <summary>A new initializer of 1-byte elements (int8, uint8, float8).</summary>
    public Value ByteConstant(string prefix, TensorDataType type, byte[] values, params long[] dims) =>
        Graph.AddInitializer(TensorData.FromRaw(Graph.UniqueName(prefix), type, dims, values));

    /// <summary>A new int32 initializer.</summary>
    public Value Int32Constant(string prefix, int[] values, params long[] dims) =>
        Graph.AddInitializer(TensorData.FromRaw(Graph.UniqueName(prefix), TensorDataType.Int32, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    /// <summary>
    /// Inserts <c>DequantizeLinear(QuantizeLinear(x))</c> after <paramref name="x"/> and points the given
    /// consumer slots at the result; returns the dequantized value.
    /// </summary>
    public Value InsertQdq(Value x, Value scale, Value zeroPoint, TensorDataType quantizedType, IEnumerable<(Node Node, int Slot)> consumers)
    {
        var q = Graph.AddNode("QuantizeLinear", [x, scale, zeroPoint], [Graph.UniqueName(x.Name + "_quantized")],
            name: Graph.UniqueName(x.Name + "_QuantizeLinear"), domain: _domain);
        q.Outputs[0]!.Type = new TensorType(quantizedType, x.Type?.Shape);
        var dq = Dequantize(q.Outputs[0]!, scale, zeroPoint, null, x.Name, x.Type?.Shape);
        foreach (var (node, slot) in consumers.ToArray())
        {
            Graph.ReplaceInput(node, slot, dq);
        }
        return dq;
    }

    /// <summary>A DequantizeLinear of <paramref name="quantized"/> (per axis when <paramref name="axis"/> is set).</summary>
    public Value Dequantize(Value quantized, Value scale, Value? zeroPoint, long? axis, string baseName, TensorShape? shape)
    {
        var attrs = axis is { } a ? new[] { Attr.Int("axis", a) } : null;
        var dq = Graph.AddNode("DequantizeLinear", zeroPoint is null ? [quantized, scale] : [quantized, scale, zeroPoint],
            [Graph.UniqueName(baseName + "_dequantized")], attrs, name: Graph.UniqueName(baseName + "_DequantizeLinear"), domain: _domain);
        dq.Outputs[0]!.Type = new TensorType(TensorDataType.Float, shape);
        return dq.Outputs[0]!;
    }

    /// <summary>Drops an initializer nobody reads any more (a weight replaced by its quantized copy).</summary>
    public void RemoveIfUnused(Value value)
    {
        if (value.IsInitializer && value.Consumers.Count == 0 && !value.IsGraphOutput && !value.IsGraphInput)
        {
            Graph.RemoveInitializer(value);
        }
    }
}
