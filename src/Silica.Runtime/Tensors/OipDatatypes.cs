using System.Diagnostics.CodeAnalysis;
using Silica.Onnx.Model;

namespace Silica.Runtime.Tensors;

/// <summary>
/// Open Inference Protocol v2 datatype names (<c>FP32</c>, <c>INT64</c>, <c>BYTES</c>…) and their ONNX element types:
/// the one mapping the server's REST and gRPC front ends, its model configuration, and the remote bench client share.
/// </summary>
public static class OipDatatypes
{
    private static readonly (string Name, TensorDataType Type)[] Table =
    [
        ("BOOL", TensorDataType.Bool),
        ("UINT8", TensorDataType.UInt8),
        ("UINT16", TensorDataType.UInt16),
        ("UINT32", TensorDataType.UInt32),
        ("UINT64", TensorDataType.UInt64),
        ("INT8", TensorDataType.Int8),
        ("INT16", TensorDataType.Int16),
        ("INT32", TensorDataType.Int32),
        ("INT64", TensorDataType.Int64),
        ("FP16", TensorDataType.Float16),
        ("FP32", TensorDataType.Float),
        ("FP64", TensorDataType.Double),
        ("BF16", TensorDataType.BFloat16),
        ("BYTES", TensorDataType.String),
    ];

    /// <summary>Every protocol datatype name, for messages.</summary>
    public static string AllNames { get; } = string.Join(", ", Table.Select(t => t.Name));

    /// <summary>The protocol name of <paramref name="type"/>, or null when the protocol has none (FP8, 4-bit, complex).</summary>
    public static string? NameOf(TensorDataType type)
    {
        foreach (var (name, t) in Table)
        {
            if (t == type)
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>The protocol name, or the ONNX name upper-cased for types the protocol lacks (for wire fields).</summary>
    public static string Name(TensorDataType type) => NameOf(type) ?? type.DisplayName().ToUpperInvariant();

    /// <summary>The protocol name, or the ONNX name for types the protocol lacks (for messages).</summary>
    public static string Display(TensorDataType type) => NameOf(type) ?? type.DisplayName();

    /// <summary>Parses a protocol datatype name, exactly as the protocol spells it, BYTES included.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out TensorDataType? type)
    {
        type = name is null ? null : Find(name);
        return type is not null;
    }

    /// <summary>The element type of a dense datatype name; null for unknown names and for <c>BYTES</c> (variable-length, see <see cref="IsBytes"/>).</summary>
    public static TensorDataType? ParseDense(ReadOnlySpan<char> name) => IsBytes(name) ? null : Find(name);

    /// <summary>True for the variable-length <c>BYTES</c> type, which Silica does not serve.</summary>
    public static bool IsBytes(ReadOnlySpan<char> name) => name is "BYTES";

    private static TensorDataType? Find(ReadOnlySpan<char> name)
    {
        foreach (var (n, t) in Table)
        {
            if (name.SequenceEqual(n))
            {
                return t;
            }
        }
        return null;
    }
}
