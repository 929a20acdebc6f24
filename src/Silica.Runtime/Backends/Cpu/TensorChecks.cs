using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Backends.Cpu;

/// <summary>Validates tensors against a session's metadata; allocates only when building an error.</summary>
internal static class TensorChecks
{
    public static void Check(string model, TensorInfo info, Tensor? tensor, string role)
    {
        if (tensor is null)
        {
            throw new InvalidInputException($"model '{model}': {role} '{info.Name}' is missing");
        }
        if (tensor.ElementType != info.ElementType)
        {
            throw new InvalidInputException(
                $"model '{model}': {role} '{info.Name}' expects {info.ElementType.DisplayName()}, got {tensor.ElementType.DisplayName()}");
        }
        if (!info.Accepts(tensor.Shape))
        {
            throw new InvalidInputException(
                $"model '{model}': {role} '{info.Name}' expects shape {info.Shape}, got {Tensor.Format(tensor.Shape)}");
        }
    }

    public static InvalidInputException CountMismatch(string model, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs,
        int inputCount, int outputCount) =>
        new($"model '{model}' takes {inputs.Count} input(s) ({string.Join(", ", inputs.Select(i => i.Name))}) and " +
            $"{outputs.Count} output(s) ({string.Join(", ", outputs.Select(o => o.Name))}); got {inputCount} and {outputCount}");
}
