namespace Silica.Onnx.Zoo;

/// <summary>The broad kind of a zoo model, which decides how it is fed and what its cost scales with.</summary>
public enum ZooModelFamily
{
    /// <summary>A plain multilayer perceptron on a flat feature vector.</summary>
    Mlp,

    /// <summary>An image classifier built from convolutions (input [batch, 3, 224, 224]).</summary>
    Cnn,

    /// <summary>A bidirectional transformer encoder over token ids (cost scales with batch and seq).</summary>
    Encoder,

    /// <summary>A causal transformer decoder; the zoo graph is its prefill pass over the prompt (input_ids to logits, no cache).</summary>
    Decoder,

    /// <summary>
    /// A causal transformer decoder step with a KV cache in the Hugging Face Optimum with-past convention
    /// (input_ids, attention_mask, position_ids, past_key_values.N.key|value to logits, present.N.key|value);
    /// <see cref="DecoderMetadata"/> describes its architecture.
    /// </summary>
    DecoderWithPast,
}
