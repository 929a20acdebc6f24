using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;

namespace Silica.Serving.Http.Codec;

/// <summary>
/// Writes an infer response: JSON with each output's values, or, for outputs sent with the binary tensor
/// extension, JSON carrying <c>binary_data_size</c> with the raw bytes appended after it in output order.
/// NaN and infinities, which JSON cannot hold as numbers, are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c> (System.Text.Json's named literals) rather than failing the response.
/// </summary>
internal static class InferResponseEncoder
{
    /// <summary>Writes the JSON part; returns which outputs travel as binary (in output order), or null for none.</summary>
    public static bool[]? WriteJson(IBufferWriter<byte> destination, InferenceResult result, DecodedInferRequest request)
    {
        bool[]? binary = null;
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, result.Model);
        writer.WriteString("model_version"u8, result.Version);
        if (result.Id is { } id)
        {
            writer.WriteString("id"u8, id);
        }
        writer.WriteStartArray("outputs"u8);
        for (var i = 0; i < result.Outputs.Count; i++)
        {
            var output = result.Outputs[i];
            writer.WriteStartObject();
            writer.WriteString("name"u8, output.Name);
            writer.WriteString("datatype"u8, OipDatatypes.Name(output.ElementType));
            writer.WriteStartArray("shape"u8);
            foreach (var d in output.Shape)
            {
                writer.WriteNumberValue(d);
            }
            writer.WriteEndArray();
            if (IsBinary(output.Name, request))
            {
                binary ??= new bool[result.Outputs.Count];
                binary[i] = true;
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("binary_data_size"u8, output.Data.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray("data"u8);
                WriteValues(writer, output.ElementType, output.Data.Span);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return binary;
    }

    private static bool IsBinary(string output, DecodedInferRequest request)
    {
        if (request.Request.Outputs is { Count: > 0 } requested)
        {
            foreach (var r in requested)
            {
                if (r.Name == output)
                {
                    return r.Binary;
                }
            }
        }
        return request.BinaryDataOutput;
    }

    private static void WriteValues(Utf8JsonWriter writer, TensorDataType type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case TensorDataType.Float:
                for (var i = 0; i < data.Length; i += 4)
                {
                    WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(data[i..]));
                }
                break;
            case TensorDataType.Double:
                for (var i = 0; i < data.Length; i += 8)
                {
                    var v = BinaryPrimitives.ReadDoubleLittleEndian(data[i..]);
                    if (double.IsFinite(v))
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        WriteNonFinite(writer, double.IsNaN(v), v > 0);
                    }
                }
                break;
            case TensorDataType.Float16:
                for (var i = 0; i < data.Length; i += 2)
                {
                    WriteFloat(writer, (float)BinaryPrimitives.ReadHalfLittleEndian(data[i..]));
                }
                break;
            case TensorDataType.BFloat16:
                for (var i = 0; i < data.Length; i += 2)
                {
                    WriteFloat(writer, BFloat16Bits.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[i..])));
                }
                break;
            case TensorDataType.Bool:
                foreach (var b in data)
                {
                    writer.WriteBooleanValue(b != 0);
                }
                break;
            case TensorDataType.UInt8:
                foreach (var b in data)
                {
                    writer.WriteNumberValue(b);
                }
                break;
            case TensorDataType.Int8:
                foreach (var b in data)
                {
                    writer.WriteNumberValue(unchecked((sbyte)b));
                }
                break;
            case TensorDataType.UInt16:
                for (var i = 0; i < data.Length; i += 2)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(data[i..]));
                }
                break;
            case TensorDataType.Int16:
                for (var i = 0; i < data.Length; i += 2)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(data[i..]));
                }
                break;
            case TensorDataType.UInt32:
                for (var i = 0; i < data.Length; i += 4)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(data[i..]));
                }
                break;
            case TensorDataType.Int32:
                for (var i = 0; i < data.Length; i += 4)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(data[i..]));
                }
                break;
            case TensorDataType.UInt64:
                for (var i = 0; i < data.Length; i += 8)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
                }
                break;
            case TensorDataType.Int64:
                for (var i = 0; i < data.Length; i += 8)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(data[i..]));
                }
                break;
            default:
                throw new NotSupportedException($"output element type {type.DisplayName()} has no JSON encoding; request it with binary_data");
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float v)
    {
        if (float.IsFinite(v))
        {
            // Shortest round-trip formatting: the client parses back exactly the same FP32 bits.
            writer.WriteNumberValue(v);
        }
        else
        {
            WriteNonFinite(writer, float.IsNaN(v), v > 0);
        }
    }

    private static void WriteNonFinite(Utf8JsonWriter writer, bool nan, bool positive) =>
        writer.WriteStringValue(nan ? "NaN"u8 : positive ? "Infinity"u8 : "-Infinity"u8);
}
