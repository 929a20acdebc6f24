using Silica.Onnx.Graph;
using Silica.Onnx.Serialization;
using Silica.Onnx.Zoo;

namespace Silica.Runtime.Generation.Tokenization;

/// <summary>Finds the tokenizer for a model: the zoo's served vocabulary, or the <c>tokenizer.json</c> beside a user's model.</summary>
public static class Tokenizers
{
    /// <summary>The file name Hugging Face exports (and Optimum copies) next to a model.</summary>
    public const string TokenizerFileName = "tokenizer.json";

    /// <summary>
    /// The tokenizer of <paramref name="modelPathOrZooName"/>: a zoo name (<c>gpt2</c>, <c>zoo:llama-tiny</c>) gives
    /// the tokenizer its metadata names; a model file or folder gives the <c>tokenizer.json</c> in that folder,
    /// or else the tokenizer named by the model's <c>silica.llm.tokenizer</c> metadata.
    /// </summary>
    /// <exception cref="ArgumentException">No tokenizer is known for the model (the message says what to provide).</exception>
    /// <exception cref="InvalidDataException">The model's <c>tokenizer.json</c> cannot be used.</exception>
    public static ITextTokenizer ForModel(string modelPathOrZooName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPathOrZooName);
        var name = modelPathOrZooName.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase) ? modelPathOrZooName[4..] : null;
        if (name is not null || (!File.Exists(modelPathOrZooName) && !Directory.Exists(modelPathOrZooName) && ModelZoo.Find(modelPathOrZooName) is not null))
        {
            name ??= modelPathOrZooName;
            var info = ModelZoo.Find(name) ?? throw new ArgumentException($"unknown zoo model '{name}'; known models: {ModelZoo.KnownNames}", nameof(modelPathOrZooName));
            var model = ModelZoo.Build(info.Name, new ZooBuildOptions { WithWeights = false });
            return Named(model.Metadata.GetValueOrDefault(DecoderMetadata.TokenizerKey))
                ?? throw new ArgumentException($"zoo model '{info.Name}' has no tokenizer (its vocabulary is not a served one)", nameof(modelPathOrZooName));
        }

        var folder = Directory.Exists(modelPathOrZooName) ? modelPathOrZooName : Path.GetDirectoryName(Path.GetFullPath(modelPathOrZooName))!;
        var json = Path.Combine(folder, TokenizerFileName);
        if (File.Exists(json))
        {
            return TokenizerJson.Load(json);
        }
        if (File.Exists(modelPathOrZooName))
        {
            var model = OnnxModel.Load(modelPathOrZooName, new OnnxReadOptions { LoadExternalData = false });
            if (Named(model.Metadata.GetValueOrDefault(DecoderMetadata.TokenizerKey)) is { } tokenizer)
            {
                return tokenizer;
            }
        }
        throw new ArgumentException(
            $"no tokenizer for '{modelPathOrZooName}': put the model's {TokenizerFileName} in '{folder}'", nameof(modelPathOrZooName));
    }

    /// <summary>A served tokenizer by name (<c>gpt2</c>), or null for an unknown or missing name.</summary>
    public static ITextTokenizer? Named(string? name) => name?.ToLowerInvariant() switch
    {
        "gpt2" => Gpt2Tokenizer.Instance,
        _ => null,
    };
}
