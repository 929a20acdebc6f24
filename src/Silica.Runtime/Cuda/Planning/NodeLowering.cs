using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>Lowers one ONNX node (and whatever pattern starts at it) into plan steps.</summary>
internal static class NodeLowering
{
    private static readonly IReadOnlySet<string> ViewOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout",
    };

    public static void Lower(PlanBuilder b, Node node)
    {
        if (!node.IsDefaultDomain)
        {
            throw PlanException.For(node, $"operators of domain '{node.Domain}' are not supported");
        }
        foreach (var o in node.Outputs)
        {
            if (o is not null && (o.Type?.Shape is not { IsStatic: true }))
            {
                throw PlanException.For(node, $"output '{o.Name}' has no concrete shape");
            }
        }
        if (TryFold(b, node))
        {
            return;
        }
        var op = node.OpType;
        if (ViewOps.Contains(op))
        {
            var y = node.Output(0)!;
            b.Bind(y, b.View(b.Buf(node.Input(0)!), y.Name, PlanBuilder.ShapeOf(y)));
            return;
        }
        if (PlanBuilder.ElementwiseOps.Contains(op))
        {
            b.LowerElementwise(node);
            return;
        }
        switch (op)
        {
            case "MatMul":
                if (!(b.Options.FuseAttention && AttentionLowering.TryLower(b, node)))
                {
                    GemmLowering.LowerMatMul(b, node);
                }
                break;
            case "Gemm": GemmLowering.LowerGemm(b, node); break;
            case "Conv": ConvLowering.LowerConv(b, node); break;
            case "ConvTranspose": ConvLowering.LowerConvTranspose(b, node); break;
            case "BatchNormalization": ConvLowering.LowerBatchNorm(b, node); break;
            case "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool": PoolLowering.Lower(b, node); break;
            case "LayerNormalization": LayerNormLowering.Lower(b, node); break;
            case "ReduceMean" when LayerNormLowering.TryLowerDecomposed(b, node): break;
            case "ReduceSum" or "ReduceMean" or "ReduceMax" or "ReduceMin": ReduceLowering.Lower(b, node); break;
            case "Softmax": TensorLowering.Softmax(b, node); break;
            case "Transpose" when b.Options.FuseAttention && b.SoleConsumer(node.Output(0)!) is { OpType: "MatMul" }:
                // Attention may read Q/K/V through this transpose; lower it only if something reads it as a tensor.
                b.Defer(node.Output(0)!, () => TensorLowering.Transpose(b, node));
                break;
            case "Transpose": TensorLowering.Transpose(b, node); break;
            case "Gather": TensorLowering.Gather(b, node); break;
            case "Concat": TensorLowering.Concat(b, node); break;
            case "Slice": TensorLowering.Slice(b, node); break;
            case "Split": TensorLowering.Split(b, node); break;
            case "Expand": TensorLowering.Expand(b, node); break;
            case "Resize" or "Upsample": TensorLowering.Resize(b, node); break;
            default: throw PlanException.For(node, "unsupported operator");
        }
    }

    /// <summary>Evaluates the node on the host when its inputs are constants (or it only reads a static shape).</summary>
    private static bool TryFold(PlanBuilder b, Node node)
    {
        var y = node.Output(0);
        switch (node.OpType)
        {
            case "Constant":
                b.AddConstant(y!, ConstantNode(node));
                return true;
            case "Shape":
                var shape = PlanBuilder.ShapeOf(node.Input(0)!);
                var start = node.Attributes.GetInt("start", 0);
                var end = node.Attributes.GetInt("end", shape.Length);
                start = Math.Clamp(start < 0 ? start + shape.Length : start, 0, shape.Length);
                end = Math.Clamp(end < 0 ? end + shape.Length : end, 0, shape.Length);
                long[] dims = [.. shape[(int)start..(int)Math.Max(start, end)]];
                b.AddConstant(y!, HostTensor.OfInts(TensorDataType.Int64, [dims.Length], dims));
                return true;
            case "Size":
                b.AddConstant(y!, HostTensor.OfInts(TensorDataType.Int64, [], [PlanBuilder.ShapeOf(node.Input(0)!).Aggregate(1L, (p, d) => p * d)]));
                return true;
        }
        if (node.Inputs.Any(i => i is not null && !b.IsConstant(i)) || node.Outputs.Count(o => o is not null) != 1)
        {
            return false;
        }
        if (y!.Type!.Shape!.ElementCount > HostEvaluator.MaxFoldedElements)
        {
            return false;
        }
        HostTensor?[]? results;
        try
        {
            results = HostEvaluator.Evaluate(node, b.ConstantOf, b.Opset);
        }
        catch (PlanException) when (node.OpType is "ConstantOfShape" or "Transpose" or "Expand")
        {
            return false;
        }
        if (results is null || results[0] is null)
        {
            return false;
        }
        b.AddConstant(y, results[0]!);
        return true;
    }

    private static HostTensor ConstantNode(Node node)
    {
        var a = node.Attributes;
        if (a.GetTensor("value") is { } t)
        {
            return HostTensor.FromProto(t) ?? throw PlanException.For(node, "constant of unsupported type");
        }
        if (a.Has("value_float"))
        {
            return HostTensor.OfFloats(TensorDataType.Float, [], [a.GetFloat("value_float", 0)]);
        }
        if (a.GetFloats("value_floats") is { } fs)
        {
            return HostTensor.OfFloats(TensorDataType.Float, [fs.Length], [.. fs.Select(f => (double)f)]);
        }
        if (a.Has("value_int"))
        {
            return HostTensor.OfInts(TensorDataType.Int64, [], [a.GetInt("value_int", 0)]);
        }
        if (a.GetInts("value_ints") is { } ints)
        {
            return HostTensor.OfInts(TensorDataType.Int64, [ints.Length], ints);
        }
        throw PlanException.For(node, "unsupported Constant attribute");
    }
}
