using Silica.Serving.Core;

namespace Silica.Serving.OpenAi;

/// <summary>
/// An Open Inference Protocol model that can serve embeddings: a Hugging Face-style encoder taking <c>input_ids</c>
/// and <c>attention_mask</c> (INT64, [batch, seq], optionally <c>token_type_ids</c>) and returning
/// <c>last_hidden_state</c> (FP32, [batch, seq, hidden]), as the zoo's BERT and the Optimum exports do.
/// </summary>
internal sealed record EncoderModel(string Name, bool HasTokenTypes, long Hidden)
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string LastHiddenState = "last_hidden_state";

    /// <summary>The encoder view of <paramref name="metadata"/>, or null when the model is not such an encoder.</summary>
    public static EncoderModel? From(ModelMetadata metadata)
    {
        var inputs = metadata.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        if (!IsTokens(inputs.GetValueOrDefault(InputIds)) || !IsTokens(inputs.GetValueOrDefault(AttentionMask)))
        {
            return null;
        }
        var types = inputs.GetValueOrDefault(TokenTypeIds);
        if (inputs.Count != (types is null ? 2 : 3) || (types is not null && !IsTokens(types)))
        {
            return null;
        }
        var hidden = metadata.Outputs.FirstOrDefault(o => o.Name == LastHiddenState);
        return hidden is { Datatype: "FP32", Shape: [_, _, > 0 and var size] } ? new EncoderModel(metadata.Name, types is not null, size) : null;
    }

    private static bool IsTokens(TensorMetadata? t) => t is { Datatype: "INT64", Shape.Length: 2 };
}
