using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;

namespace Silica.Serving.Http.Codec;

/// <summary>An inference request decoded from the REST wire format, with how its outputs should travel.</summary>
/// <param name="Request">The request for the server.</param>
/// <param name="BinaryDataOutput">The request-level <c>binary_data_output</c>: outputs not listed go binary.</param>
internal sealed record DecodedInferRequest(InferenceRequest Request, bool BinaryDataOutput);

/// <summary>
/// Decodes a REST infer request: a JSON document, or with the binary tensor extension a JSON header of
/// <c>Inference-Header-Content-Length</c> bytes followed by the raw tensors in input order. The JSON is read with
/// <see cref="Utf8JsonReader"/> (no reflection), depth-limited; every size is computed with checked arithmetic
/// and compared with what the body carries before anything tensor-sized is allocated.
/// </summary>
internal static class InferRequestDecoder
{
    /// <summary>Most dimensions a request tensor may have; ONNX Runtime and every model in practice use far fewer.</summary>
    public const int MaxRank = 32;

    /// <summary>Decodes a request for <paramref name="model"/>.</summary>
    /// <param name="body">The whole request body.</param>
    /// <param name="headerLength">The JSON header's length from <c>Inference-Header-Content-Length</c>, already checked to lie within the body; null without the binary extension.</param>
    /// <param name="model">The model name from the route.</param>
    /// <param name="version">The version from the route, or null.</param>
    /// <param name="maxDepth">Deepest JSON nesting accepted.</param>
    /// <exception cref="InvalidRequestException">The request is malformed; the message names the problem.</exception>
    /// <exception cref="JsonException">The JSON itself is malformed or nested too deep.</exception>
    public static DecodedInferRequest Decode(ReadOnlyMemory<byte> body, int? headerLength, string model, string? version, int maxDepth)
    {
        var json = headerLength is { } h ? body[..h] : body;
        var binary = headerLength is { } hb ? body[hb..] : ReadOnlyMemory<byte>.Empty;
        if (json.IsEmpty)
        {
            throw new InvalidRequestException("the request body is empty; expected a JSON inference request");
        }
        if (!Utf8.IsValid(json.Span))
        {
            throw new InvalidRequestException("the JSON is not valid UTF-8");
        }
        var document = RequestDocument.Read(json.Span, maxDepth);
        if (document.Inputs.Count == 0)
        {
            throw new InvalidRequestException("the request has no inputs");
        }
        var tensors = new NamedTensor[document.Inputs.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0L;
        for (var i = 0; i < tensors.Length; i++)
        {
            var draft = document.Inputs[i];
            if (!seen.Add(draft.Name))
            {
                throw new InvalidRequestException($"input '{draft.Name}' appears more than once");
            }
            tensors[i] = Build(draft, json, binary, headerLength is not null, ref offset, maxDepth);
        }
        if (headerLength is not null && offset != binary.Length)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"binary data: the inputs declare {offset} bytes (binary_data_size) but the body carries {binary.Length} after the {headerLength}-byte JSON header"));
        }
        var outputs = document.Outputs?.Select(o => new RequestedOutput(o.Name, o.Binary ?? document.BinaryDataOutput)).ToArray();
        var request = new InferenceRequest(model, version, document.Id, tensors, outputs);
        return new DecodedInferRequest(request, document.BinaryDataOutput);
    }

    private static NamedTensor Build(InputDraft draft, ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> binary, bool hasBinary, ref long offset, int maxDepth)
    {
        var name = draft.Name;
        var type = draft.ElementType;
        var shape = draft.Shape;
        long count;
        long bytes;
        try
        {
            count = 1;
            foreach (var d in shape)
            {
                count = checked(count * d);
            }
            bytes = type.ByteCount(count);
        }
        catch (OverflowException)
        {
            throw new InvalidRequestException($"input '{name}': shape {Format(shape)} has more elements than fit in 64 bits");
        }
        if (bytes > Array.MaxLength)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"input '{name}': {OipDatatypes.Name(type)}{Format(shape)} needs {bytes} bytes, over the {Array.MaxLength}-byte tensor limit"));
        }
        if (draft.DataStart >= 0)
        {
            if (draft.BinaryDataSize is not null)
            {
                throw new InvalidRequestException($"input '{name}' has both 'data' and binary_data_size; send one");
            }
            if (draft.Decoded is { } decoded && draft.DecodedType == type && ReferenceEquals(draft.DecodedShape, shape))
            {
                return new NamedTensor(name, type, shape, decoded);
            }
            var data = json.Span[draft.DataStart..draft.DataEnd];
            var values = JsonTensorData.Count(data, maxDepth);
            if (values != count)
            {
                throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                    $"input '{name}': shape {Format(shape)} needs {count} values, the data holds {values}"));
            }
            // Allocated only now: the data slice holds exactly count values, so bytes is bounded by the body size.
            var buffer = new byte[bytes];
            JsonTensorData.Fill(data, maxDepth, name, type, buffer);
            return new NamedTensor(name, type, shape, buffer);
        }
        if (draft.BinaryDataSize is not { } size)
        {
            throw new InvalidRequestException($"input '{name}' has neither 'data' nor parameters.binary_data_size");
        }
        if (!hasBinary)
        {
            throw new InvalidRequestException($"input '{name}' declares binary_data_size but the request has no Inference-Header-Content-Length header");
        }
        if (size != bytes)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"input '{name}': {OipDatatypes.Name(type)}{Format(shape)} expected {bytes} bytes, got {size} (binary_data_size)"));
        }
        if (offset + size > binary.Length)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"binary data: input '{name}' needs bytes {offset}..{offset + size} of the binary section, which holds {binary.Length}"));
        }
        var slice = binary.Slice((int)offset, (int)size);
        offset += size;
        if (type == TensorDataType.Bool && slice.Span.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
        {
            throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                $"input '{name}': element {bad} of the BOOL data is {slice.Span[bad]}; BOOL bytes must be 0 or 1"));
        }
        return new NamedTensor(name, type, shape, slice);
    }

    internal static string Format(long[] shape) => "[" + string.Join(",", shape) + "]";
}
