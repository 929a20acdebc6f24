using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Silica.Runtime.Generation.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a byte-level BPE model (GPT-2, GPT-NeoX, Llama 3, Qwen, Mistral
/// Nemo and most recent decoders), run by <c>Microsoft.ML.Tokenizers</c>' <see cref="BpeTokenizer"/>. The
/// end-of-sequence token comes from <c>tokenizer_config.json</c> beside it when present, else from the
/// usual names among the added tokens.
/// </summary>
/// <remarks>
/// SentencePiece-style BPE (Llama 1/2's <c>▁</c> metaspace with byte fallback) and WordPiece or Unigram models
/// are not supported; loading one fails with a one-line message naming what was found.
/// </remarks>
public sealed class TokenizerJson : ITextTokenizer
{
    /// <summary>GPT-2's pre-tokenizer pattern, which a ByteLevel pre-tokenizer with use_regex applies.</summary>
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly string[] EndTokenNames = ["<|endoftext|>", "<|end_of_text|>", "</s>", "<|im_end|>", "<eos>"];

    private readonly BpeTokenizer _tokenizer;

    private TokenizerJson(string source, BpeTokenizer tokenizer, int? endOfSequenceId)
    {
        Source = source;
        _tokenizer = tokenizer;
        EndOfSequenceId = endOfSequenceId;
    }

    /// <inheritdoc />
    public string Source { get; }

    /// <inheritdoc />
    public int? EndOfSequenceId { get; }

    /// <summary>Loads a <c>tokenizer.json</c> file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, or holds a tokenizer kind this loader does not support.</exception>
    public static TokenizerJson Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"tokenizer file '{path}' does not exist", path);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            return Parse(path, document.RootElement);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _tokenizer.Decode(ids);
    }

    private static TokenizerJson Parse(string path, JsonElement root)
    {
        var model = Property(root, "model") ?? throw Unsupported(path, "no \"model\" section");
        var type = Property(model, "type")?.GetString();
        if (type != "BPE")
        {
            throw Unsupported(path, $"model type '{type ?? "none"}' (only BPE is supported)");
        }
        if (Property(model, "byte_fallback") is { ValueKind: JsonValueKind.True })
        {
            throw Unsupported(path, "SentencePiece-style BPE with byte_fallback (only byte-level BPE is supported)");
        }
        var pattern = PreTokenizerPattern(path, Property(root, "pre_tokenizer"));

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in (Property(model, "vocab") ?? throw Unsupported(path, "a BPE model without \"vocab\"")).EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }
        var merges = new List<string>();
        if (Property(model, "merges") is { ValueKind: JsonValueKind.Array } mergeArray)
        {
            foreach (var merge in mergeArray.EnumerateArray())
            {
                // Older files write "a b"; newer ones write ["a", "b"] so that tokens may contain spaces.
                merges.Add(merge.ValueKind == JsonValueKind.Array
                    ? $"{merge[0].GetString()} {merge[1].GetString()}"
                    : merge.GetString() ?? throw Unsupported(path, "a merge that is neither a string nor a pair"));
            }
        }
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Property(root, "added_tokens") is { ValueKind: JsonValueKind.Array } added)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (Property(token, "content")?.GetString() is { } content && Property(token, "id") is { } id)
                {
                    special[content] = id.GetInt32();
                    vocabulary.TryAdd(content, id.GetInt32());
                }
            }
        }

        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special.Count > 0 ? special : null,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), special.Count > 0 ? special : null),
        };
        var tokenizer = BpeTokenizer.Create(options);
        return new TokenizerJson(Path.GetFullPath(path), tokenizer, EndOfSequence(path, special));
    }

    /// <summary>The split pattern: GPT-2's for a ByteLevel pre-tokenizer, the file's own for a Regex Split (Llama 3).</summary>
    private static string PreTokenizerPattern(string path, JsonElement? preTokenizer)
    {
        if (preTokenizer is not { ValueKind: JsonValueKind.Object } p)
        {
            throw Unsupported(path, "no pre_tokenizer (byte-level BPE needs one)");
        }
        var type = Property(p, "type")?.GetString();
        switch (type)
        {
            case "ByteLevel":
                return Gpt2Pattern;
            case "Split" when Property(p, "pattern") is { } pattern && Property(pattern, "Regex")?.GetString() is { } regex:
                return regex;
            case "Sequence" when Property(p, "pretokenizers") is { ValueKind: JsonValueKind.Array } steps:
                // Llama 3 and Qwen: a Regex Split followed by a ByteLevel without its own regex.
                string? found = null;
                foreach (var step in steps.EnumerateArray())
                {
                    var stepType = Property(step, "type")?.GetString();
                    if (stepType == "Split" && Property(step, "pattern") is { } sp && Property(sp, "Regex")?.GetString() is { } r)
                    {
                        found ??= r;
                    }
                    else if (stepType == "ByteLevel")
                    {
                        if (Property(step, "use_regex") is not { ValueKind: JsonValueKind.False })
                        {
                            found ??= Gpt2Pattern;
                        }
                    }
                    else
                    {
                        throw Unsupported(path, $"pre-tokenizer step '{stepType}'");
                    }
                }
                return found ?? throw Unsupported(path, "a pre-tokenizer sequence without a split pattern");
            default:
                throw Unsupported(path, $"pre-tokenizer '{type}' (only ByteLevel and Regex Split are supported)");
        }
    }

    private static int? EndOfSequence(string path, Dictionary<string, int> special)
    {
        var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json");
        if (File.Exists(config))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(config));
                var eos = Property(document.RootElement, "eos_token");
                var name = eos?.ValueKind == JsonValueKind.String ? eos.Value.GetString() : eos is { ValueKind: JsonValueKind.Object } o ? Property(o, "content")?.GetString() : null;
                if (name is not null && special.TryGetValue(name, out var id))
                {
                    return id;
                }
            }
            catch (JsonException)
            {
                // A broken config only loses the end token; the usual names below still apply.
            }
        }
        foreach (var name in EndTokenNames)
        {
            if (special.TryGetValue(name, out var id))
            {
                return id;
            }
        }
        return null;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static InvalidDataException Unsupported(string path, string what) =>
        new($"unsupported tokenizer '{path}': {what}");
}
