using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Passes;

/// <summary>Turns <c>Constant</c> nodes into initializers, so every later rewrite sees one kind of constant.</summary>
internal static class ConstantNodes
{
    /// <summary>Replaces each Constant node whose value is a dense tensor by an initializer of the same name; returns how many.</summary>
    public static int ToInitializers(OnnxGraph graph)
    {
        var count = 0;
        foreach (var node in graph.Nodes.ToArray())
        {
            if (node.OpType != "Constant" || !node.IsDefaultDomain || node.Output(0) is not { } output || ValueOf(node) is not { } tensor)
            {
                continue;
            }
            graph.RemoveNode(node);
            tensor.Name = output.Name;
            graph.AddInitializer(tensor);
            count++;
        }
        return count;
    }

    /// <summary>The tensor a Constant node holds, or null for string and sparse values.</summary>
    private static TensorProto? ValueOf(Node node)
    {
        var a = node.Attributes;
        if (a.GetTensor("value") is { } t)
        {
            var type = (TensorDataType)t.DataType;
            return type == TensorDataType.String || !TensorData.HasData(t) ? null : t.Clone();
        }
        if (a.Find("value_float") is { } f)
        {
            return TensorData.FromFloats("", [], [f.F]);
        }
        if (a.Find("value_floats") is { } fs)
        {
            return TensorData.FromFloats("", [fs.Floats.Count], [.. fs.Floats]);
        }
        if (a.Find("value_int") is { } i)
        {
            return TensorData.FromInt64s("", [], [i.I]);
        }
        if (a.Find("value_ints") is { } ints)
        {
            return TensorData.FromInt64s("", [ints.Ints.Count], [.. ints.Ints]);
        }
        return null;
    }
}
