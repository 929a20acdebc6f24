using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;

namespace Silica.Serving.Http.Codec;

/// <summary>
/// Reads the <c>data</c> of one JSON input (nested arrays or flat, row-major) into little-endian tensor bytes.
/// Every value is range-checked for the datatype: nothing is rounded into range, truncated or coerced.
/// </summary>
internal static class JsonTensorData
{
    /// <summary>Counts the values in a <c>data</c> slice (already checked well-formed and within the depth limit).</summary>
    public static long Count(ReadOnlySpan<byte> data, int maxDepth)
    {
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = maxDepth });
        long n = 0;
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.EndArray))
            {
                // An object counts as one (bad) value, so the fill pass can name it.
                reader.Skip();
                n++;
            }
        }
        return n;
    }

    /// <summary>Decodes the values into <paramref name="destination"/>, which holds exactly their bytes.</summary>
    /// <exception cref="InvalidRequestException">A value is not a number (or boolean) of the datatype, or out of its range.</exception>
    public static void Fill(ReadOnlySpan<byte> data, int maxDepth, string input, TensorDataType type, Span<byte> destination)
    {
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = maxDepth });
        var size = type.BitsPerElement() / 8;
        var index = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray)
            {
                continue;
            }
            var slot = destination.Slice(index * size, size);
            if (!TryWrite(ref reader, type, slot))
            {
                throw BadValue(ref reader, input, type, index);
            }
            index++;
        }
    }

    /// <summary>
    /// Decodes the <c>data</c> value the reader is on (its first token) for a tensor of <paramref name="type"/> and
    /// <paramref name="shape"/>, in the document's own pass. Always leaves the reader on the value's last token; returns
    /// null, having decoded nothing usable, unless the value is an array holding exactly the shape's count of valid
    /// values — the caller then falls back to <see cref="Count"/> and <see cref="Fill"/>, whose errors are exact.
    /// </summary>
    /// <param name="reader">Positioned on the data value's first token.</param>
    /// <param name="type">The element type.</param>
    /// <param name="shape">The declared shape (dimensions already checked non-negative).</param>
    /// <param name="bodyLength">The JSON's length in bytes: n values take at least 2n − 1 bytes, so no shape can make
    /// this allocate more than the body could hold.</param>
    public static byte[]? TryDecodeInPlace(ref Utf8JsonReader reader, TensorDataType type, long[] shape, int bodyLength)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var size = type.BitsPerElement() / 8;
        var count = 1L;
        foreach (var d in shape)
        {
            if (d > 0 && count > (bodyLength / 2 + 1) / d)
            {
                reader.Skip();
                return null;
            }
            count *= d;
        }
        if (count > bodyLength / 2 + 1 || count * size > Array.MaxLength)
        {
            reader.Skip();
            return null;
        }
        var buffer = new byte[count * size];
        var depth = reader.CurrentDepth;
        var n = 0L;
        var ok = true;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token == JsonTokenType.EndArray)
            {
                if (reader.CurrentDepth == depth)
                {
                    break;
                }
                continue;
            }
            if (token == JsonTokenType.StartArray)
            {
                continue;
            }
            if (token == JsonTokenType.StartObject)
            {
                reader.Skip();
                ok = false;
            }
            else if (ok && n < count)
            {
                ok = TryWrite(ref reader, type, buffer.AsSpan((int)(n * size), size));
            }
            else
            {
                ok = false;
            }
            n++;
        }
        return ok && n == count ? buffer : null;
    }

    private static bool TryWrite(ref Utf8JsonReader reader, TensorDataType type, Span<byte> slot)
    {
        if (type == TensorDataType.Bool)
        {
            // Booleans only: a 2 or a "true" in a BOOL tensor is a client bug, not something to guess at.
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
            {
                return false;
            }
            slot[0] = reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0;
            return true;
        }
        if (reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }
        switch (type)
        {
            case TensorDataType.UInt8 when reader.TryGetByte(out var v):
                slot[0] = v;
                return true;
            case TensorDataType.Int8 when reader.TryGetSByte(out var v):
                slot[0] = unchecked((byte)v);
                return true;
            case TensorDataType.UInt16 when reader.TryGetUInt16(out var v):
                BinaryPrimitives.WriteUInt16LittleEndian(slot, v);
                return true;
            case TensorDataType.Int16 when reader.TryGetInt16(out var v):
                BinaryPrimitives.WriteInt16LittleEndian(slot, v);
                return true;
            case TensorDataType.UInt32 when reader.TryGetUInt32(out var v):
                BinaryPrimitives.WriteUInt32LittleEndian(slot, v);
                return true;
            case TensorDataType.Int32 when reader.TryGetInt32(out var v):
                BinaryPrimitives.WriteInt32LittleEndian(slot, v);
                return true;
            case TensorDataType.UInt64 when reader.TryGetUInt64(out var v):
                BinaryPrimitives.WriteUInt64LittleEndian(slot, v);
                return true;
            case TensorDataType.Int64 when reader.TryGetInt64(out var v):
                BinaryPrimitives.WriteInt64LittleEndian(slot, v);
                return true;
            case TensorDataType.Float when reader.TryGetSingle(out var v) && float.IsFinite(v):
                BinaryPrimitives.WriteSingleLittleEndian(slot, v);
                return true;
            case TensorDataType.Double when reader.TryGetDouble(out var v) && double.IsFinite(v):
                BinaryPrimitives.WriteDoubleLittleEndian(slot, v);
                return true;
            case TensorDataType.Float16 when reader.TryGetDouble(out var d) && Half.IsFinite((Half)d):
                BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)d);
                return true;
            case TensorDataType.BFloat16 when reader.TryGetDouble(out var d) && BFloat16Bits.TryFromDouble(d, out var bits):
                BinaryPrimitives.WriteUInt16LittleEndian(slot, bits);
                return true;
            default:
                return false;
        }
    }

    private static InvalidRequestException BadValue(ref Utf8JsonReader reader, string input, TensorDataType type, int index)
    {
        var datatype = OipDatatypes.Name(type);
        var what = reader.TokenType switch
        {
            JsonTokenType.String => "a string",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.Number => Shorten(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => reader.TokenType.ToString(),
        };
        var why = reader.TokenType switch
        {
            JsonTokenType.Number => $"is not a {datatype} value (out of range or not an integer)",
            _ when type == TensorDataType.Bool => "is not true or false",
            _ => $"is not a number; {datatype} data must be numbers",
        };
        return new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"input '{input}': element {index} ({what}) {why}"));
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
