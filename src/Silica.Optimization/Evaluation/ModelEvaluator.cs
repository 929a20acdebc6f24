using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Evaluation;

/// <summary>Runs a model over a sample set with ONNX Runtime on the CPU, for calibration and accuracy checks.</summary>
public static class ModelEvaluator
{
    /// <summary>Runs <paramref name="model"/> once per sample and returns every output.</summary>
    /// <param name="model">The model (serialized with its weights inline; not changed).</param>
    /// <param name="samples">The inputs; each sample names a tensor for every runtime input.</param>
    /// <param name="progress">Receives the number of samples done after each one.</param>
    /// <returns>Per sample, one tensor per model output in the graph's output order.</returns>
    /// <exception cref="Silica.Runtime.Backends.ModelLoadException">ONNX Runtime rejects the model.</exception>
    /// <exception cref="Silica.Runtime.Backends.InvalidInputException">A sample lacks an input.</exception>
    /// <exception cref="Silica.Runtime.Backends.InferenceException">A run fails (wrong shape or dtype, kernel error).</exception>
    public static IReadOnlyList<IReadOnlyList<Tensor>> Run(OnnxModel model, SampleSet samples, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        using var runner = new OrtModelRunner(model.ToBytes(), model.Graph.Name, float8: HasFloat8(model));
        var outputs = model.Graph.Outputs.Select(o => o.Name).ToArray();
        var results = new List<IReadOnlyList<Tensor>>(samples.Samples.Count);
        foreach (var sample in samples.Samples)
        {
            results.Add(runner.Run(sample.Inputs, outputs, sample.Id));
            progress?.Report(results.Count);
        }
        return results;
    }

    /// <summary>True when the model holds float8 tensors (FP8 QDQ), which ORT's extended optimizations mishandle.</summary>
    internal static bool HasFloat8(OnnxModel model) =>
        model.Graph.Initializers.Any(v => (TensorDataType)v.Initializer!.DataType is TensorDataType.Float8E4M3FN or TensorDataType.Float8E4M3FNUZ
            or TensorDataType.Float8E5M2 or TensorDataType.Float8E5M2FNUZ);
}
