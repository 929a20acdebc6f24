using System.Text.Json;

namespace Silica.Serving.OpenAi;

/// <summary>
/// The <c>input</c> of an embeddings request: a string, an array of strings, an array of token ids, or an array of
/// token-id arrays. Each becomes one embedding.
/// </summary>
internal sealed record EmbeddingInput(IReadOnlyList<string>? Texts, IReadOnlyList<int[]>? Tokens)
{
    /// <summary>Most inputs in one request (OpenAI's own limit).</summary>
    public const int MaxInputs = 2048;

    public int Count => Texts?.Count ?? Tokens!.Count;

    public static EmbeddingInput Read(JsonElement root)
    {
        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            throw OpenAiException.BadRequest("input is required", "input");
        }
        if (input.ValueKind == JsonValueKind.String)
        {
            return new EmbeddingInput([input.GetString()!], null);
        }
        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            throw Malformed();
        }
        if (input.GetArrayLength() > MaxInputs)
        {
            throw OpenAiException.BadRequest($"input has {input.GetArrayLength()} items; at most {MaxInputs} are allowed", "input");
        }
        var first = input[0].ValueKind;
        if (first == JsonValueKind.String)
        {
            return new EmbeddingInput([.. input.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Malformed())], null);
        }
        if (first == JsonValueKind.Number)
        {
            return new EmbeddingInput(null, [Ids(input)]);
        }
        if (first == JsonValueKind.Array)
        {
            return new EmbeddingInput(null, [.. input.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Array ? Ids(e) : throw Malformed())]);
        }
        throw Malformed();
    }

    private static int[] Ids(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var id) ? id : throw Malformed())];

    private static OpenAiException Malformed() =>
        OpenAiException.BadRequest("input must be a string, an array of strings, an array of token ids or an array of token-id arrays (none empty)", "input");
}
