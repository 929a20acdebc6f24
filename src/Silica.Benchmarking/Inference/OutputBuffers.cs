using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Inference;

/// <summary>
/// Allocates output tensors of the right shape for given inputs, using Silica's own shape inference on the
/// model graph: ONNX Runtime's metadata leaves data-dependent output sizes symbolic, but the pre-allocated,
/// reused outputs of the measuring path need them concrete.
/// </summary>
public static class OutputBuffers
{
    /// <summary>Creates one output tensor per session output for the given input tensors.</summary>
    /// <param name="model">The model graph (weights not needed); its value types are overwritten.</param>
    /// <param name="session">The session whose outputs to allocate.</param>
    /// <param name="inputs">The input tensors, in the session's input order.</param>
    /// <exception cref="ArgumentException">An output's shape cannot be determined.</exception>
    public static Tensor[] Create(OnnxModel model, ISession session, IReadOnlyList<Tensor> inputs)
    {
        lock (model)
        {
            for (var i = 0; i < session.Inputs.Count; i++)
            {
                var value = model.Graph.FindValue(session.Inputs[i].Name)
                    ?? throw new ArgumentException($"the model graph has no input '{session.Inputs[i].Name}'");
                value.Type = new TensorType(inputs[i].ElementType, TensorShape.Of(inputs[i].Shape));
            }
            var result = ShapeInferencer.Infer(model);
            var outputs = new Tensor[session.Outputs.Count];
            for (var k = 0; k < outputs.Length; k++)
            {
                var name = session.Outputs[k].Name;
                var type = model.Graph.FindValue(name)?.Type;
                if (type?.Shape is not { IsStatic: true } shape)
                {
                    var why = result.Diagnostics.Count > 0 ? $": {result.Diagnostics[0].Message}" : "";
                    throw new ArgumentException($"cannot determine the shape of output '{name}' for these inputs{why}");
                }
                outputs[k] = Tensor.Allocate(session.Outputs[k].ElementType, shape.ToArray());
            }
            return outputs;
        }
    }
}
