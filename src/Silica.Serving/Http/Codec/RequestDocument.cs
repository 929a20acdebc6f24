using System.Globalization;
using System.Text.Json;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;

namespace Silica.Serving.Http.Codec;

/// <summary>One input as the JSON declares it; its <c>data</c> is kept as a byte range and decoded once the type and shape are known.</summary>
internal sealed class InputDraft
{
    public string Name { get; set; } = "";

    public TensorDataType ElementType { get; set; }

    public long[] Shape { get; set; } = [];

    public long? BinaryDataSize { get; set; }

    /// <summary>Start of the <c>data</c> value in the JSON, or -1 when absent.</summary>
    public int DataStart { get; set; } = -1;

    public int DataEnd { get; set; }

    /// <summary>
    /// The data already decoded in the document pass (type and shape came before it and every value fitted), or null;
    /// valid only while <see cref="ElementType"/> and <see cref="Shape"/> are still the ones it was decoded for.
    /// </summary>
    public byte[]? Decoded { get; set; }

    /// <summary>The element type <see cref="Decoded"/> was decoded as.</summary>
    public TensorDataType DecodedType { get; set; }

    /// <summary>The shape array <see cref="Decoded"/> was decoded for (compared by reference).</summary>
    public long[]? DecodedShape { get; set; }
}

/// <summary>One requested output as the JSON declares it.</summary>
internal sealed record OutputDraft(string Name, bool? Binary);

/// <summary>
/// The structure of an infer request's JSON (<c>id</c>, <c>parameters</c>, <c>inputs</c>, <c>outputs</c>), read in one
/// forward pass. Members may come in any order, so each input's <c>data</c> is skipped and remembered by position.
/// Unknown members are skipped (the protocol lets clients add parameters).
/// </summary>
internal sealed class RequestDocument
{
    public string? Id { get; private set; }

    public bool BinaryDataOutput { get; private set; }

    public List<InputDraft> Inputs { get; } = [];

    public List<OutputDraft>? Outputs { get; private set; }

    public static RequestDocument Read(ReadOnlySpan<byte> json, int maxDepth)
    {
        var bodyLength = json.Length;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var document = new RequestDocument();
        Expect(ref reader, JsonTokenType.StartObject, "the request");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                document.Id = reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader, "id");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                ReadParameters(ref reader, "parameters", (ref Utf8JsonReader r, out bool handled) =>
                {
                    handled = r.ValueTextEquals("binary_data_output"u8);
                    if (handled)
                    {
                        document.BinaryDataOutput = ReadBool(ref r, "parameters.binary_data_output");
                    }
                });
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "'inputs'");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    document.Inputs.Add(ReadInput(ref reader, document.Inputs.Count, bodyLength));
                }
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "'outputs'");
                document.Outputs = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    document.Outputs.Add(ReadOutput(ref reader, document.Outputs.Count));
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // Anything after the document (a second object, stray bytes) makes this Read throw.
        if (reader.Read())
        {
            throw new InvalidRequestException("the body holds more than one JSON value");
        }
        return document;
    }

    private static InputDraft ReadInput(ref Utf8JsonReader reader, int index, int bodyLength)
    {
        var what = string.Create(CultureInfo.InvariantCulture, $"input #{index}");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException($"{what} must be an object");
        }
        var draft = new InputDraft();
        string? datatype = null;
        long[]? shape = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                draft.Name = ReadString(ref reader, what + " name");
                what = $"input '{draft.Name}'";
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                datatype = ReadString(ref reader, what + " datatype");
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                shape = ReadShape(ref reader, what);
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                var name = what;
                ReadParameters(ref reader, what + " parameters", (ref Utf8JsonReader r, out bool handled) =>
                {
                    handled = r.ValueTextEquals("binary_data_size"u8);
                    if (handled)
                    {
                        r.Read();
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out var size) || size < 0)
                        {
                            throw new InvalidRequestException($"{name}: binary_data_size must be a non-negative integer");
                        }
                        draft.BinaryDataSize = size;
                    }
                });
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                draft.DataStart = (int)reader.TokenStartIndex;
                // The usual order (name, shape, datatype, data) lets the values be decoded in this same pass, so a
                // 784-float request is tokenized once instead of three times (skip, count, fill). Anything unusual
                // (data first, a count mismatch, a bad value) is left to the decoder's exact two-pass path and its
                // messages.
                if (shape is not null && datatype is not null && OipDatatypes.ParseDense(datatype) is { } type &&
                    JsonTensorData.TryDecodeInPlace(ref reader, type, shape, bodyLength) is { } decoded)
                {
                    draft.Decoded = decoded;
                    draft.DecodedType = type;
                    draft.DecodedShape = shape;
                }
                else
                {
                    reader.Skip();
                }
                draft.DataEnd = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (draft.Name.Length == 0)
        {
            throw new InvalidRequestException($"{what} has no name");
        }
        draft.Shape = shape ?? throw new InvalidRequestException($"{what} has no shape");
        if (datatype is null)
        {
            throw new InvalidRequestException($"{what} has no datatype");
        }
        if (OipDatatypes.IsBytes(datatype))
        {
            throw new InvalidRequestException($"{what}: datatype BYTES is not supported; Silica serves numeric tensors only");
        }
        draft.ElementType = OipDatatypes.ParseDense(datatype) ?? throw new InvalidRequestException(
            $"{what}: unknown datatype '{Printable(datatype)}' (expected BOOL, UINT8..UINT64, INT8..INT64, FP16, FP32, FP64 or BF16)");
        return draft;
    }

    private static OutputDraft ReadOutput(ref Utf8JsonReader reader, int index)
    {
        var what = string.Create(CultureInfo.InvariantCulture, $"output #{index}");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException($"{what} must be an object");
        }
        string? name = null;
        bool? binary = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = ReadString(ref reader, what + " name");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                ReadParameters(ref reader, what + " parameters", (ref Utf8JsonReader r, out bool handled) =>
                {
                    handled = r.ValueTextEquals("binary_data"u8);
                    if (handled)
                    {
                        binary = ReadBool(ref r, "binary_data");
                    }
                });
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new OutputDraft(name is { Length: > 0 } ? name : throw new InvalidRequestException($"{what} has no name"), binary);
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.StartArray, what + " shape");
        var dims = new List<long>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var d))
            {
                throw new InvalidRequestException($"{what}: shape must be an array of integers");
            }
            dims.Add(d);
            if (dims.Count > InferRequestDecoder.MaxRank)
            {
                throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"{what}: shape has more than {InferRequestDecoder.MaxRank} dimensions"));
            }
        }
        var shape = dims.ToArray();
        if (Array.FindIndex(shape, d => d < 0) >= 0)
        {
            throw new InvalidRequestException($"{what}: shape {InferRequestDecoder.Format(shape)} has a negative dimension; requests must give concrete sizes");
        }
        return shape;
    }

    private delegate void ParameterReader(ref Utf8JsonReader reader, out bool handled);

    private static void ReadParameters(ref Utf8JsonReader reader, string what, ParameterReader read)
    {
        Expect(ref reader, JsonTokenType.StartObject, what);
        while (NextProperty(ref reader))
        {
            read(ref reader, out var handled);
            if (!handled)
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    // Advances to the next property name of the current object; false at its end.
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        reader.Read();
        if (reader.TokenType != type)
        {
            throw new InvalidRequestException($"{what} must be {(type == JsonTokenType.StartArray ? "an array" : "an object")}");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new InvalidRequestException($"{what} must be a string");

    private static bool ReadBool(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new InvalidRequestException($"{what} must be true or false"),
        };
    }

    // Names in messages come from the client: keep them short and free of control characters.
    internal static string Printable(string s)
    {
        var t = new string([.. s.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return s.Length > 64 ? t + "…" : t;
    }
}
