using System.Text.Json;

namespace Silica.Serving.OpenAi;

/// <summary>
/// Reads <c>POST /v1/chat/completions</c> and <c>/v1/completions</c> bodies. Every refusal is a 400 naming the field
/// (<c>param</c>); fields Silica does not use (<c>user</c>, <c>metadata</c>, <c>frequency_penalty</c> at 0...) are
/// ignored as OpenAI-compatible servers do, but a feature asked for and not provided (n &gt; 1, logprobs, tools,
/// image parts) is refused rather than silently dropped.
/// </summary>
internal static class GenerationCallReader
{
    public static GenerationCall Read(JsonElement root, bool chat)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw OpenAiException.BadRequest("the request body must be a JSON object", null);
        }
        var model = RequiredString(root, "model");
        IReadOnlyList<ChatMessage>? messages = null;
        string? prompt = null;
        if (chat)
        {
            messages = Messages(root);
        }
        else
        {
            prompt = Prompt(root);
        }
        var n = OptionalInt(root, "n");
        if (n is { } count && count != 1)
        {
            throw OpenAiException.BadRequest($"n must be 1 (got {count}); this server returns one choice per request", "n");
        }
        var bestOf = OptionalInt(root, "best_of");
        if (bestOf is { } b && b != 1)
        {
            throw OpenAiException.BadRequest($"best_of must be 1 (got {b})", "best_of");
        }
        Refuse(root, "tools", v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0, "tool calling is not supported");
        Refuse(root, "logprobs", v => v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.Number, "logprobs are not supported");
        Refuse(root, "echo", v => v.ValueKind == JsonValueKind.True, "echo is not supported");
        Refuse(root, "response_format", v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var t) && t.GetString() != "text",
            "only the text response format is supported");
        // max_completion_tokens is the newer name; max_tokens is what completions and older clients send.
        var maxTokensParam = root.TryGetProperty("max_completion_tokens", out var mct) && mct.ValueKind != JsonValueKind.Null ? "max_completion_tokens" : "max_tokens";
        var maxTokens = OptionalInt(root, maxTokensParam);
        if (maxTokens is < 1)
        {
            throw OpenAiException.BadRequest($"{maxTokensParam} must be at least 1 (got {maxTokens})", maxTokensParam);
        }
        var stream = OptionalBool(root, "stream") ?? false;
        var includeUsage = false;
        if (root.TryGetProperty("stream_options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                throw OpenAiException.BadRequest("stream_options must be an object", "stream_options");
            }
            if (!stream)
            {
                throw OpenAiException.BadRequest("stream_options is only allowed when stream is true", "stream_options");
            }
            includeUsage = OptionalBool(options, "include_usage", "stream_options.include_usage") ?? false;
        }
        return new GenerationCall
        {
            Model = model,
            Messages = messages,
            Prompt = prompt,
            MaxTokens = maxTokens,
            MaxTokensParam = maxTokensParam,
            Temperature = OptionalFloat(root, "temperature"),
            TopP = OptionalFloat(root, "top_p"),
            TopK = OptionalInt(root, "top_k"),
            Seed = OptionalLong(root, "seed"),
            Stop = Stop(root),
            Stream = stream,
            IncludeUsage = includeUsage,
        };
    }

    /// <summary>The <c>model</c> member alone, for endpoints that must find the model before reading the rest.</summary>
    public static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw OpenAiException.BadRequest($"{name} is required", name);
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw OpenAiException.BadRequest($"{name} must be a non-empty string", name);
        }
        return text;
    }

    private static List<ChatMessage> Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw OpenAiException.BadRequest("messages is required and must be an array", "messages");
        }
        if (array.GetArrayLength() == 0)
        {
            throw OpenAiException.BadRequest("messages must contain at least one message", "messages");
        }
        var messages = new List<ChatMessage>(array.GetArrayLength());
        var i = 0;
        foreach (var m in array.EnumerateArray())
        {
            var where = $"messages[{i}]";
            if (m.ValueKind != JsonValueKind.Object)
            {
                throw OpenAiException.BadRequest($"{where} must be an object", where);
            }
            var role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            if (role is not ("system" or "developer" or "user" or "assistant"))
            {
                throw OpenAiException.BadRequest($"{where}.role must be system, developer, user or assistant (got '{role}')", $"{where}.role");
            }
            messages.Add(new ChatMessage(role, Content(m, where)));
            i++;
        }
        return messages;
    }

    // Content is a string or an array of parts; only text parts are understood by a text-only model.
    private static string Content(JsonElement message, string where)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw OpenAiException.BadRequest($"{where}.content must be a string or an array of content parts", $"{where}.content");
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type != "text" || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw OpenAiException.BadRequest($"{where}.content: only text parts ({{\"type\":\"text\",\"text\":...}}) are supported (got type '{type}')", $"{where}.content");
            }
            text.Append(value.GetString());
        }
        return text.ToString();
    }

    private static string Prompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
        {
            throw OpenAiException.BadRequest("prompt is required", "prompt");
        }
        if (prompt.ValueKind == JsonValueKind.String)
        {
            return prompt.GetString()!;
        }
        // A one-element array of strings is one prompt; more would be several choices (n > 1 in effect).
        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
        {
            return prompt[0].GetString()!;
        }
        throw OpenAiException.BadRequest("prompt must be a string (or an array holding one string); batches of prompts and token-id prompts are not supported", "prompt");
    }

    private static List<string>? Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            return [stop.GetString()!];
        }
        if (stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))
        {
            return [.. stop.EnumerateArray().Select(s => s.GetString()!)];
        }
        throw OpenAiException.BadRequest("stop must be a string or an array of strings", "stop");
    }

    private static void Refuse(JsonElement root, string name, Func<JsonElement, bool> asked, string message)
    {
        if (root.TryGetProperty(name, out var value) && asked(value))
        {
            throw OpenAiException.BadRequest(message, name);
        }
    }

    private static bool? OptionalBool(JsonElement root, string name, string? param = null)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw OpenAiException.BadRequest($"{param ?? name} must be true or false", param ?? name),
        };
    }

    private static int? OptionalInt(JsonElement root, string name) =>
        OptionalLong(root, name) is { } v
            ? v is >= int.MinValue and <= int.MaxValue ? (int)v : throw OpenAiException.BadRequest($"{name} is out of range (got {v})", name)
            : null;

    private static long? OptionalLong(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var v)
            ? v
            : throw OpenAiException.BadRequest($"{name} must be an integer", name);
    }

    private static float? OptionalFloat(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var v) && double.IsFinite(v)
            ? (float)v
            : throw OpenAiException.BadRequest($"{name} must be a number", name);
    }
}
