namespace Silica.Onnx.Building;

/// <summary>How the builder fills a weight tensor.</summary>
public enum WeightFill
{
    /// <summary>Uniform in ±sqrt(3 / fan_in) (He/Kaiming-style scale): keeps activations finite through deep nets.</summary>
    FanIn,
    /// <summary>All zeros (biases, BatchNorm mean).</summary>
    Zeros,
    /// <summary>All ones (LayerNorm/BatchNorm scale, BatchNorm variance).</summary>
    Ones,
    /// <summary>Uniform in ±0.02 (embedding tables, as BERT/GPT-2 initialise them).</summary>
    Small,
}
