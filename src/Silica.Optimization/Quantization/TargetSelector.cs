using Silica.Onnx.Graph;

namespace Silica.Optimization.Quantization;

/// <summary>Picks the nodes a mode quantizes and records why every other node is left alone.</summary>
internal static class TargetSelector
{
    private static readonly HashSet<string> WeightedOps = ["Conv", "MatMul", "Gemm"];

    /// <summary>
    /// The Conv, MatMul and Gemm nodes with a constant weight, as static INT8 and FP8 quantize them; when there are
    /// none, the report says so and the list is empty.
    /// </summary>
    public static List<QuantTarget> SelectWeighted(OnnxGraph graph, IReadOnlySet<string>? exclude, ReportBuilder report)
    {
        var targets = Select(graph, WeightedOps, exclude, needPlainGemm: false, report);
        if (targets.Count == 0)
        {
            report.Notes.Add("no Conv, MatMul or Gemm with a constant weight to quantize");
        }
        return targets;
    }

    public static List<QuantTarget> Select(OnnxGraph graph, IReadOnlySet<string> ops, IReadOnlySet<string>? exclude, bool needPlainGemm,
        ReportBuilder report)
    {
        var targets = new List<QuantTarget>();
        foreach (var node in graph.Nodes.ToList())
        {
            if (!node.IsDefaultDomain || !ops.Contains(node.OpType))
            {
                if (node.OpType is not ("Constant" or "Identity" or "Shape"))
                {
                    report.Skip(node, SkipReason.NotQuantizable, "kept in FP32");
                }
                continue;
            }
            if (exclude?.Contains(node.Name) == true)
            {
                report.Skip(node, SkipReason.Excluded, "kept in higher precision on request");
                continue;
            }
            HoistConstant(graph, node.Input(1));
            HoistConstant(graph, node.Input(2));
            var why = Check(node, needPlainGemm, out var axis);
            if (why is not null)
            {
                report.Skip(node, SkipReason.UnsupportedInputs, why);
                continue;
            }
            targets.Add(new QuantTarget(node, node.Inputs[0]!, node.Inputs[1]!, axis));
        }
        return targets;
    }

    private static string? Check(Node node, bool needPlainGemm, out int axis)
    {
        axis = 0;
        var x = node.Input(0);
        var w = node.Input(1);
        if (x is null || x.IsInitializer)
        {
            return "the first input is a constant";
        }
        if (x.Type is { } xt && xt.ElementType != Onnx.Model.TensorDataType.Float)
        {
            return $"the input is {xt.ElementType}, not float";
        }
        if (!WeightReader.IsFloatWeight(w))
        {
            return "the weight is not a constant float tensor";
        }
        var rank = w!.Initializer!.Dims.Count;
        switch (node.OpType)
        {
            case "Conv":
                if (rank < 3)
                {
                    return "the weight has fewer than 3 dimensions";
                }
                axis = 0;
                return null;
            case "MatMul":
                if (rank != 2)
                {
                    return $"the weight has rank {rank}, not 2";
                }
                axis = 1;
                return null;
            case "Gemm":
                if (node.Attributes.GetInt("transA", 0) != 0)
                {
                    return "transA is set";
                }
                if (needPlainGemm && node.Attributes.GetFloat("alpha", 1f) != 1f)
                {
                    return "alpha is not 1";
                }
                if (needPlainGemm && node.Input(2) is not null && (node.Attributes.GetFloat("beta", 1f) != 1f || !IsVector(node.Input(2))))
                {
                    return "the bias is not a constant vector with beta 1";
                }
                axis = node.Attributes.GetInt("transB", 0) != 0 ? 0 : 1;
                return null;
            default:
                return "unsupported operator";
        }
    }

    /// <summary>
    /// Turns a Constant node's output into an initializer with the same name (exporters such as paddle2onnx
    /// emit weights as Constant nodes), so weights are found in one place.
    /// </summary>
    private static void HoistConstant(OnnxGraph graph, Value? value)
    {
        if (value?.Producer is not { OpType: "Constant", IsDefaultDomain: true } constant || constant.Attributes.GetTensor("value") is not { } tensor)
        {
            return;
        }
        graph.RemoveNode(constant);
        var copy = tensor.Clone();
        copy.Name = value.Name;
        graph.AddInitializer(copy);
    }

    private static bool IsVector(Value? v) => WeightReader.IsFloatWeight(v) && v!.Initializer!.Dims.Count == 1;
}
