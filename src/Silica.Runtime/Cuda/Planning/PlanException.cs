using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>The model cannot be planned for the CUDA engine (unsupported op, attribute or unresolved shape).</summary>
internal sealed class PlanException : Exception
{
    public PlanException(string message)
        : base(message)
    {
    }

    public static PlanException For(Node node, string what) => new($"node '{node.Name}' ({node.OpType}): {what}");
}
