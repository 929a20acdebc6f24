using Google.Protobuf;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Building;

/// <summary>Factory for node attributes: <c>Attr.Ints("strides", 2, 2)</c>, <c>Attr.Float("epsilon", 1e-5f)</c>.</summary>
public static class Attr
{
    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params ReadOnlySpan<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        foreach (var v in values)
        {
            a.Ints.Add(v);
        }
        return a;
    }

    /// <summary>A float-list attribute.</summary>
    public static AttributeProto Floats(string name, params ReadOnlySpan<float> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        foreach (var v in values)
        {
            a.Floats.Add(v);
        }
        return a;
    }

    /// <summary>A tensor attribute (as used by <c>Constant</c>).</summary>
    public static AttributeProto Tensor(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };
}
