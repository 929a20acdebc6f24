using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Tests.Cuda.Planning;

/// <summary>Runs a model once in ONNX Runtime (CPU) to learn its real output shapes for given input shapes.</summary>
internal static class OrtShapes
{
    public static List<long[]> OutputShapes(OnnxModel model, IReadOnlyList<long[]> inputShapes)
    {
        using var session = new InferenceSession(model.ToBytes());
        var inputs = new List<NamedOnnxValue>();
        var runtime = model.Graph.RuntimeInputs.ToList();
        for (var i = 0; i < runtime.Count; i++)
        {
            var dims = inputShapes[i].Select(d => (int)d).ToArray();
            var n = dims.Aggregate(1, (p, d) => p * d);
            var name = runtime[i].Name;
            inputs.Add(runtime[i].Type!.ElementType switch
            {
                TensorDataType.Int64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(Enumerable.Repeat(1L, n).ToArray(), dims)),
                TensorDataType.Int32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(Enumerable.Repeat(1, n).ToArray(), dims)),
                _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(Enumerable.Range(0, n).Select(k => (k % 7) * 0.1f).ToArray(), dims)),
            });
        }
        using var results = session.Run(inputs);
        return [.. results.Select(r => r.AsTensor<float>().Dimensions.ToArray().Select(d => (long)d).ToArray())];
    }
}
