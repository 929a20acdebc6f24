using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>fuse-matmul-add</c>: <c>Add(MatMul(A, W), b)</c> becomes <c>Gemm(A, W, b)</c> when A is 2-D, W is a 2-D
/// constant and b a constant broadcastable to the output's last axis (shape <c>[N]</c> or <c>[1, N]</c>).
/// </summary>
/// <remarks>
/// N-D activations (the <c>[batch, seq, hidden]</c> linear layers of transformers) are left as MatMul + Add on
/// purpose: Gemm is 2-D only, and wrapping it in two Reshapes adds nodes that hide the pattern from ONNX
/// Runtime's own MatMul+Add fusion while saving nothing. A report line counts the N-D pairs left.
/// </remarks>
public sealed class FuseMatMulAddPass : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "fuse-matmul-add";

    /// <inheritdoc/>
    public PassReport Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var fused = 0;
        var leftNd = 0;
        foreach (var add in graph.Nodes.ToArray())
        {
            if (add.OpType != "Add" || !add.IsDefaultDomain || add.Output(0) is not { } output)
            {
                continue;
            }
            for (var side = 0; side < 2; side++)
            {
                if (add.Input(side) is not { Producer: { OpType: "MatMul", IsDefaultDomain: true } matMul } product
                    || product.Consumers.Count != 1 || product.IsGraphOutput)
                {
                    continue;
                }
                var bias = add.Input(1 - side);
                var a = matMul.Input(0);
                var w = GraphEdits.ConstantOf(matMul.Input(1));
                var b = GraphEdits.ConstantOf(bias);
                if (a?.Type?.Shape is not { } aShape || w is null || w.Dims.Count != 2 || b is null
                    || w.DataType != (int)TensorDataType.Float || b.DataType != w.DataType || a.Type.ElementType != TensorDataType.Float)
                {
                    break;
                }
                var n = w.Dims[1];
                var biasFits = (b.Dims.Count == 1 && b.Dims[0] == n) || (b.Dims.Count == 2 && b.Dims[0] == 1 && b.Dims[1] == n);
                if (!biasFits)
                {
                    break;
                }
                if (aShape.Rank != 2)
                {
                    leftNd++;
                    break;
                }
                var name = matMul.Name;
                graph.RemoveNode(add);
                graph.RemoveNode(matMul);
                graph.AddNode("Gemm", [a, matMul.Input(1), bias], [output.Name], name: name + "_gemm");
                fused++;
                break;
            }
        }
        GraphEdits.Resort(graph);
        var details = new List<string>();
        if (fused > 0)
        {
            details.Add($"fused {fused} MatMul + Add pair(s) on 2-D inputs into Gemm");
        }
        if (leftNd > 0)
        {
            details.Add($"left {leftNd} MatMul + Add pair(s) on N-D inputs (Gemm is 2-D only)");
        }
        return new PassReport(Name, fused, details);
    }
}
