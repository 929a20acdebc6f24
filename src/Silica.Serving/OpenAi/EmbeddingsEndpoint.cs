using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Silica.Onnx.Model;
using Silica.Serving.Core;
using Silica.Serving.Http;
using Silica.Serving.Metrics;

namespace Silica.Serving.OpenAi;

/// <summary>
/// <c>POST /v1/embeddings</c> over the encoder models of the host's inference server: each input runs as one
/// Open Inference Protocol request (so it shares the model's batcher, limits and statistics), and its last hidden
/// state is mean-pooled over the attention mask and L2-normalized.
/// </summary>
internal sealed class EmbeddingsEndpoint(OpenAiService service, RestContext rest)
{
    private const int ClsId = 101;
    private const int SepId = 102;

    // BERT's vocabulary keeps ids below 999 for [PAD], [UNK], [CLS], [SEP], [MASK] and [unusedN]; folded ids avoid them.
    private const int FirstWordId = 999;

    public async Task HandleAsync(HttpContext ctx)
    {
        using var activity = ServingTelemetry.ActivitySource.HasListeners()
            ? ServingTelemetry.ActivitySource.StartActivity("embeddings", ActivityKind.Server)
            : null;
        try
        {
            rest.Keys.RequireInference(ctx.Request);
            using var body = await RequestBody.ReadAsync(ctx.Request, rest.Options.MaxRequestBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
            string model;
            EmbeddingInput input;
            bool base64;
            int? dimensions;
            using (var doc = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = rest.Options.MaxJsonDepth }))
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw OpenAiException.BadRequest("the request body must be a JSON object", null);
                }
                model = GenerationCallReader.RequiredString(root, "model");
                input = EmbeddingInput.Read(root);
                base64 = Format(root);
                dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind != JsonValueKind.Null
                    ? d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) ? n : throw OpenAiException.BadRequest("dimensions must be an integer", "dimensions")
                    : null;
            }
            var encoder = Find(model);
            if (dimensions is { } dims && dims != encoder.Hidden)
            {
                throw OpenAiException.BadRequest($"dimensions must be {encoder.Hidden} for '{model}' (its hidden size; other sizes are not supported)", "dimensions");
            }
            if (activity is not null)
            {
                activity.DisplayName = $"embeddings {model}";
                activity.SetTag(GenAiTelemetry.OperationName, "embeddings");
                activity.SetTag(GenAiTelemetry.ProviderName, "silica");
                activity.SetTag(GenAiTelemetry.RequestModel, model);
            }
            var sequences = Enumerable.Range(0, input.Count).Select(i => Tokens(input, i)).ToArray();
            var embeddings = new float[sequences.Length][];
            for (var i = 0; i < sequences.Length; i++)
            {
                embeddings[i] = await EmbedAsync(encoder, sequences[i], ctx.RequestAborted).ConfigureAwait(false);
            }
            var promptTokens = sequences.Sum(s => s.Length);
            activity?.SetTag(GenAiTelemetry.UsageInputTokens, promptTokens);
            await OipResponses.JsonAsync(ctx, w => Write(w, model, embeddings, base64, promptTokens)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "client disconnected");
        }
        catch (Exception e) when (OpenAiErrors.Map(e, "input") is { } error)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            await OpenAiErrors.WriteAsync(ctx, error).ConfigureAwait(false);
        }
    }

    private static bool Format(JsonElement root)
    {
        if (!root.TryGetProperty("encoding_format", out var f) || f.ValueKind == JsonValueKind.Null)
        {
            return false;
        }
        return f.ValueKind == JsonValueKind.String ? f.GetString() switch
        {
            "float" => false,
            "base64" => true,
            var other => throw OpenAiException.BadRequest($"encoding_format must be 'float' or 'base64' (got '{other}')", "encoding_format"),
        } : throw OpenAiException.BadRequest("encoding_format must be 'float' or 'base64'", "encoding_format");
    }

    private EncoderModel Find(string model)
    {
        if (service.FindGenerator(model) is not null)
        {
            throw OpenAiException.BadRequest($"'{model}' is a text generation model; embeddings need an encoder model", "model");
        }
        ModelMetadata metadata;
        try
        {
            metadata = rest.Server.GetModelMetadata(model, null);
        }
        catch (ModelNotFoundException)
        {
            throw new OpenAiException(StatusCodes.Status404NotFound, $"The model '{model}' does not exist", "model", "model_not_found");
        }
        return EncoderModel.From(metadata)
            ?? throw OpenAiException.BadRequest($"'{model}' is not an encoder (embeddings need input_ids and attention_mask in, last_hidden_state out)", "model");
    }

    /// <summary>The ids of input <paramref name="index"/>: text folded into the encoder's vocabulary between [CLS] and [SEP], or ids as given.</summary>
    private int[] Tokens(EmbeddingInput input, int index)
    {
        var options = service.Options;
        var param = input.Count == 1 ? "input" : $"input[{index}]";
        int[] ids;
        if (input.Texts is { } texts)
        {
            var tokenizer = options.EmbeddingTokenizer
                ?? throw OpenAiException.BadRequest("this server has no tokenizer for embeddings; send token ids instead of text", "input");
            var words = tokenizer.Encode(texts[index]);
            var span = options.EncoderVocabularySize - FirstWordId;
            ids = [ClsId, .. words.Select(w => FirstWordId + (int)((uint)w % (uint)span)), SepId];
        }
        else
        {
            ids = input.Tokens![index];
            foreach (var id in ids)
            {
                if (id < 0 || id >= options.EncoderVocabularySize)
                {
                    throw OpenAiException.BadRequest($"{param} has token id {id}, outside the vocabulary [0, {options.EncoderVocabularySize})", "input");
                }
            }
        }
        if (ids.Length == 0)
        {
            throw OpenAiException.BadRequest($"{param} must not be empty", "input");
        }
        if (ids.Length > options.EncoderMaxTokens)
        {
            throw new OpenAiException(StatusCodes.Status400BadRequest,
                $"{param} has {ids.Length} tokens; this model's maximum input length is {options.EncoderMaxTokens} tokens", "input", "context_length_exceeded");
        }
        return ids;
    }

    private async Task<float[]> EmbedAsync(EncoderModel encoder, int[] ids, CancellationToken cancellationToken)
    {
        var n = ids.Length;
        long[] shape = [1, n];
        var mask = new long[n];
        Array.Fill(mask, 1L);
        var inputs = new List<NamedTensor>
        {
            new(EncoderModel.InputIds, TensorDataType.Int64, shape, Int64Bytes(ids.Select(i => (long)i).ToArray())),
            new(EncoderModel.AttentionMask, TensorDataType.Int64, shape, Int64Bytes(mask)),
        };
        if (encoder.HasTokenTypes)
        {
            inputs.Add(new(EncoderModel.TokenTypeIds, TensorDataType.Int64, shape, new byte[n * sizeof(long)]));
        }
        var result = await rest.Server.InferAsync(new InferenceRequest(encoder.Name, null, null, inputs, [new RequestedOutput(EncoderModel.LastHiddenState)]), cancellationToken)
            .ConfigureAwait(false);
        var hidden = result.Outputs.Single(o => o.Name == EncoderModel.LastHiddenState);
        return EmbeddingPooling.MeanNormalized(hidden.Data.Span, mask, checked((int)encoder.Hidden));
    }

    private static byte[] Int64Bytes(long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }
        return bytes;
    }

    private static void Write(Utf8JsonWriter w, string model, float[][] embeddings, bool base64, int promptTokens)
    {
        w.WriteString("object"u8, "list");
        w.WriteStartArray("data"u8);
        for (var i = 0; i < embeddings.Length; i++)
        {
            w.WriteStartObject();
            w.WriteString("object"u8, "embedding");
            w.WriteNumber("index"u8, i);
            if (base64)
            {
                w.WriteString("embedding"u8, EmbeddingPooling.Base64(embeddings[i]));
            }
            else
            {
                w.WriteStartArray("embedding"u8);
                foreach (var v in embeddings[i])
                {
                    w.WriteNumberValue(v);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("model"u8, model);
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, promptTokens);
        w.WriteNumber("total_tokens"u8, promptTokens);
        w.WriteEndObject();
    }
}
