using System.Collections;
using Google.Protobuf.Collections;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Graph;

/// <summary>Typed access to a node's attributes, with ONNX defaults supplied by the caller.</summary>
public sealed class NodeAttributes : IReadOnlyCollection<AttributeProto>
{
    private readonly RepeatedField<AttributeProto> _attributes;

    internal NodeAttributes(RepeatedField<AttributeProto> attributes) => _attributes = attributes;

    /// <inheritdoc/>
    public int Count => _attributes.Count;

    /// <summary>The attribute with this name, or null.</summary>
    public AttributeProto? Find(string name)
    {
        foreach (var a in _attributes)
        {
            if (a.Name == name)
            {
                return a;
            }
        }
        return null;
    }

    /// <summary>True when the attribute is present.</summary>
    public bool Has(string name) => Find(name) is not null;

    /// <summary>An integer attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetInt(string name, long defaultValue) => Find(name) is { } a ? a.I : defaultValue;

    /// <summary>A float attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public float GetFloat(string name, float defaultValue) => Find(name) is { } a ? a.F : defaultValue;

    /// <summary>A string attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string name, string defaultValue) => Find(name) is { } a ? a.S.ToStringUtf8() : defaultValue;

    /// <summary>An integer-list attribute, or null when absent.</summary>
    public long[]? GetInts(string name) => Find(name) is { } a ? [.. a.Ints] : null;

    /// <summary>A float-list attribute, or null when absent.</summary>
    public float[]? GetFloats(string name) => Find(name) is { } a ? [.. a.Floats] : null;

    /// <summary>A tensor attribute, or null when absent.</summary>
    public TensorProto? GetTensor(string name) => Find(name)?.T;

    /// <summary>Adds or replaces an attribute.</summary>
    public void Set(AttributeProto attribute)
    {
        for (var i = 0; i < _attributes.Count; i++)
        {
            if (_attributes[i].Name == attribute.Name)
            {
                _attributes[i] = attribute;
                return;
            }
        }
        _attributes.Add(attribute);
    }

    /// <summary>Removes an attribute; returns whether it was present.</summary>
    public bool Remove(string name)
    {
        for (var i = 0; i < _attributes.Count; i++)
        {
            if (_attributes[i].Name == name)
            {
                _attributes.RemoveAt(i);
                return true;
            }
        }
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<AttributeProto> GetEnumerator() => _attributes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
