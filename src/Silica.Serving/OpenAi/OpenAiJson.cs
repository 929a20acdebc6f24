using System.Text.Json;
using Silica.Runtime.Generation;

namespace Silica.Serving.OpenAi;

/// <summary>
/// Writes OpenAI's response objects: <c>chat.completion</c>, <c>text_completion</c>, their streaming chunks,
/// <c>usage</c>, and the model list. Field order and names follow the OpenAI API reference.
/// </summary>
internal static class OpenAiJson
{
    /// <summary>The identity every object and chunk of one response shares.</summary>
    public readonly record struct Header(string Id, long Created, string Model, bool Chat);

    public static string FinishLabel(FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        _ => "abort",
    };

    /// <summary>A complete (non-streamed) response.</summary>
    public static void Completion(Utf8JsonWriter w, Header h, string text, FinishReason finish, TokenUsage usage)
    {
        w.WriteStartObject();
        Identity(w, h, streamed: false);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        if (h.Chat)
        {
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant");
            w.WriteString("content"u8, text);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text"u8, text);
        }
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, FinishLabel(finish));
        w.WriteEndObject();
        w.WriteEndArray();
        Usage(w, usage);
        w.WriteEndObject();
    }

    /// <summary>
    /// One streamed chunk with one choice. Chat chunks carry a <c>delta</c> (the first with the role); completion
    /// chunks carry <c>text</c>. <paramref name="finish"/> is set on the last chunk of the choice.
    /// </summary>
    public static void Chunk(Utf8JsonWriter w, Header h, string? text, bool withRole, FinishReason? finish, bool usageNull)
    {
        w.WriteStartObject();
        Identity(w, h, streamed: true);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        if (h.Chat)
        {
            w.WriteStartObject("delta"u8);
            if (withRole)
            {
                w.WriteString("role"u8, "assistant");
            }
            if (text is not null)
            {
                w.WriteString("content"u8, text);
            }
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text"u8, text ?? "");
        }
        w.WriteNull("logprobs"u8);
        if (finish is { } f)
        {
            w.WriteString("finish_reason"u8, FinishLabel(f));
        }
        else
        {
            w.WriteNull("finish_reason"u8);
        }
        w.WriteEndObject();
        w.WriteEndArray();
        // With include_usage, OpenAI sends "usage": null on every chunk but the last.
        if (usageNull)
        {
            w.WriteNull("usage"u8);
        }
        w.WriteEndObject();
    }

    /// <summary>The final chunk of <c>stream_options.include_usage</c>: empty choices and the usage.</summary>
    public static void UsageChunk(Utf8JsonWriter w, Header h, TokenUsage usage)
    {
        w.WriteStartObject();
        Identity(w, h, streamed: true);
        w.WriteStartArray("choices"u8);
        w.WriteEndArray();
        Usage(w, usage);
        w.WriteEndObject();
    }

    public static void Usage(Utf8JsonWriter w, TokenUsage usage)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        w.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        w.WriteNumber("total_tokens"u8, usage.TotalTokens);
        w.WriteEndObject();
    }

    /// <summary>GET /v1/models.</summary>
    public static void Models(Utf8JsonWriter w, IEnumerable<string> names, long created)
    {
        w.WriteStartObject();
        w.WriteString("object"u8, "list");
        w.WriteStartArray("data"u8);
        foreach (var name in names)
        {
            w.WriteStartObject();
            w.WriteString("id"u8, name);
            w.WriteString("object"u8, "model");
            w.WriteNumber("created"u8, created);
            w.WriteString("owned_by"u8, "silica");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Identity(Utf8JsonWriter w, Header h, bool streamed)
    {
        w.WriteString("id"u8, h.Id);
        w.WriteString("object"u8, (h.Chat, streamed) switch
        {
            (true, false) => "chat.completion",
            (true, true) => "chat.completion.chunk",
            _ => "text_completion",
        });
        w.WriteNumber("created"u8, h.Created);
        w.WriteString("model"u8, h.Model);
        w.WriteString("system_fingerprint"u8, "silica");
    }
}
