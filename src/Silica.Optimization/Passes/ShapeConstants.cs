using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Passes;

/// <summary>
/// Shape and Size nodes whose answer the static types already give. Needs value types from shape inference;
/// the partial mode also handles <c>Gather(Shape(x), i)</c> and <c>Slice(Shape(x), …)</c> that pick only
/// known dimensions of an otherwise symbolic shape (the partial mode).
/// </summary>
internal static class ShapeConstants
{
    /// <summary>Replaces every answerable Shape/Size (and with <paramref name="partial"/>, Gather/Slice of a Shape) by a constant.</summary>
    public static Dictionary<string, int> Fold(OnnxGraph graph, bool partial)
    {
        var folded = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.ToArray())
        {
            if (!node.IsDefaultDomain || node.Output(0) is not { IsGraphOutput: false } output)
            {
                continue;
            }
            var tensor = node.OpType switch
            {
                "Shape" => StaticShape(node),
                "Size" => node.Input(0)?.Type?.Shape?.ElementCount is { } n ? TensorData.FromInt64s("", [], [n]) : null,
                "Gather" when partial => GatherOfShape(node),
                "Slice" when partial => SliceOfShape(node),
                _ => null,
            };
            if (tensor is null)
            {
                continue;
            }
            var inputs = node.Inputs.ToArray();
            graph.RemoveNode(node);
            tensor.Name = output.Name;
            graph.AddInitializer(tensor);
            foreach (var v in inputs)
            {
                GraphEdits.RemoveIfUnused(graph, v);
            }
            folded[node.OpType] = folded.GetValueOrDefault(node.OpType) + 1;
        }
        return folded;
    }

    private static TensorProto? StaticShape(Node node)
    {
        if (node.Input(0)?.Type?.Shape is not { IsStatic: true } shape)
        {
            return null;
        }
        var (start, end) = ShapeRange(node, shape.Rank);
        var dims = shape.ToArray()[start..Math.Max(start, end)];
        return TensorData.FromInt64s("", [dims.Length], dims);
    }

    /// <summary>The dims a Shape node covers (opset 15 start/end, clamped like the spec).</summary>
    private static (int Start, int End) ShapeRange(Node node, int rank)
    {
        static int Clamp(long v, int rank) => (int)Math.Clamp(v < 0 ? v + rank : v, 0, rank);
        return (Clamp(node.Attributes.GetInt("start", 0), rank), Clamp(node.Attributes.GetInt("end", rank), rank));
    }

    /// <summary>Dims of the tensor a Shape node reads, as known numbers or null per dim; null when it is not a Shape.</summary>
    private static long?[]? ShapeDims(Value? value)
    {
        if (value?.Producer is not { OpType: "Shape", IsDefaultDomain: true } shapeNode || shapeNode.Input(0)?.Type?.Shape is not { } shape)
        {
            return null;
        }
        var (start, end) = ShapeRange(shapeNode, shape.Rank);
        return [.. shape.Skip(start).Take(Math.Max(0, end - start)).Select(d => d.Value)];
    }

    private static TensorProto? GatherOfShape(Node node)
    {
        var dims = ShapeDims(node.Input(0));
        var indices = GraphEdits.ConstantOf(node.Input(1));
        if (dims is null || indices is null || node.Attributes.GetInt("axis", 0) != 0)
        {
            return null;
        }
        var idx = TensorData.ToInt64Array(indices);
        var values = new long[idx.Length];
        for (var i = 0; i < idx.Length; i++)
        {
            var j = idx[i] < 0 ? idx[i] + dims.Length : idx[i];
            if (j < 0 || j >= dims.Length || dims[j] is not { } d)
            {
                return null;
            }
            values[i] = d;
        }
        return TensorData.FromInt64s("", [.. indices.Dims], values);
    }

    private static TensorProto? SliceOfShape(Node node)
    {
        var dims = ShapeDims(node.Input(0));
        var starts = GraphEdits.ConstantLongs(node.Input(1));
        var ends = GraphEdits.ConstantLongs(node.Input(2));
        var axes = node.Input(3) is null ? [0] : GraphEdits.ConstantLongs(node.Input(3));
        var steps = node.Input(4) is null ? [1] : GraphEdits.ConstantLongs(node.Input(4));
        if (dims is null || starts is not [var s] || ends is not [var e] || axes is not [0 or -1] || steps is not [var step] || step == 0)
        {
            return null;
        }
        var n = dims.Length;
        var picked = new List<long>();
        // The ONNX Slice clamping rules for one axis.
        s = s < 0 ? s + n : s;
        e = e < 0 ? e + n : e;
        if (step > 0)
        {
            s = Math.Clamp(s, 0, n);
            e = Math.Clamp(e, 0, n);
            for (var i = s; i < e; i += step)
            {
                picked.Add(i);
            }
        }
        else
        {
            s = Math.Clamp(s, -1, n - 1);
            e = Math.Clamp(e, -1, n - 1);
            for (var i = s; i > e; i += step)
            {
                picked.Add(i);
            }
        }
        var values = new long[picked.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (dims[picked[i]] is not { } d)
            {
                return null;
            }
            values[i] = d;
        }
        return TensorData.FromInt64s("", [values.Length], values);
    }
}
