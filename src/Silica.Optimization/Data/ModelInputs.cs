using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Data;

/// <summary>The runtime inputs a sample must supply, read from a model's graph.</summary>
public static class ModelInputs
{
    /// <summary>The model's runtime inputs (graph inputs that are not initializers), in order, with declared types.</summary>
    /// <exception cref="SampleDataException">An input has no declared tensor type.</exception>
    public static IReadOnlyList<TensorInfo> Of(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var inputs = new List<TensorInfo>();
        foreach (var v in model.Graph.RuntimeInputs)
        {
            var type = v.Type ?? throw new SampleDataException($"model input '{v.Name}' declares no tensor type");
            inputs.Add(new TensorInfo(v.Name, type.ElementType, type.Shape ?? TensorShape.Scalar));
        }
        return inputs;
    }
}
