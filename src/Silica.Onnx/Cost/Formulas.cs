using Silica.Onnx.Graph;

namespace Silica.Onnx.Cost;

/// <summary>FLOP formulas per operator (docs/cost-model.md). Null means a needed shape is unknown.</summary>
internal static class Formulas
{
    public static double? Flops(Node node, OpClass cls)
    {
        var outElements = CostModel.Elements(node.Output(0));
        switch (node.OpType)
        {
            case "MatMul" or "MatMulInteger" or "FusedMatMul":
                return Contraction(node.Input(0), outElements);
            case "QLinearMatMul":
                return Contraction(node.Input(0), outElements);
            case "Gemm":
                return Gemm(node, outElements);
            case "Einsum":
                return EinsumFlops.Count(node, outElements);
            case "Conv" or "ConvInteger":
                return Conv(node.Input(1), node.Input(2), outElements);
            case "QLinearConv":
                return Conv(node.Input(3), node.Input(8), outElements);
            case "ConvTranspose":
                return ConvTranspose(node);
            default:
                break;
        }
        return cls switch
        {
            OpClass.Elementwise or OpClass.Activation => outElements is { } e ? e * PerElement(node) : null,
            OpClass.Normalization => outElements * NormalizationFlops(node.OpType),
            OpClass.Softmax => outElements * 5.0,
            OpClass.Pooling => Pooling(node, outElements),
            OpClass.Reduction => CostModel.Elements(node.Input(0)) is { } n ? n : null,
            OpClass.Quantization => outElements * 2.0,
            _ => 0,
        };
    }

    /// <summary>FLOPs per output element for elementwise and activation ops; variadic ops pay one per extra input.</summary>
    private static double PerElement(Node node) => node.OpType is "Sum" or "Mean" or "Max" or "Min"
        ? Math.Max(1, node.Inputs.Count(i => i is not null) - 1)
        : 1;

    private static double NormalizationFlops(string op) => op switch
    {
        "BatchNormalization" => 2, // inference: y = x * scale' + shift' per element
        "RMSNormalization" or "SimplifiedLayerNormalization" => 5,
        _ => 8, // mean, subtract, square, variance sum, rsqrt share, normalize, scale, shift
    };

    /// <summary>2·(output elements)·K with K the contracted dimension of A (batched and broadcast MatMul).</summary>
    private static double? Contraction(Value? a, long? outElements)
    {
        if (a?.Type?.Shape is not { } s || s.Rank == 0 || !s[^1].IsKnown || outElements is null)
        {
            return null;
        }
        return 2.0 * outElements.Value * s[^1].KnownValue;
    }

    /// <summary>2·M·N·K, plus M·N for the bias C.</summary>
    private static double? Gemm(Node node, long? outElements)
    {
        if (node.Input(0)?.Type?.Shape is not { Rank: 2 } a || outElements is null)
        {
            return null;
        }
        var k = node.Attributes.GetInt("transA", 0) != 0 ? a[0] : a[1];
        if (!k.IsKnown)
        {
            return null;
        }
        return 2.0 * outElements.Value * k.KnownValue + (node.Input(2) is not null ? outElements.Value : 0);
    }

    /// <summary>2·(output elements)·(Cin/group)·∏kernel, plus one add per output for the bias.</summary>
    private static double? Conv(Value? weight, Value? bias, long? outElements)
    {
        if (weight?.Type?.Shape is not { Rank: >= 3 } w || outElements is null || !w.IsStatic)
        {
            return null;
        }
        var dims = w.ToArray();
        double perOutput = 1;
        for (var i = 1; i < dims.Length; i++)
        {
            perOutput *= dims[i];
        }
        return 2.0 * outElements.Value * perOutput + (bias is not null ? outElements.Value : 0);
    }

    /// <summary>Each input element scatters into (Cout/group)·∏kernel outputs: 2·N·Cin·∏in·(Cout/group)·∏k.</summary>
    private static double? ConvTranspose(Node node)
    {
        if (CostModel.Elements(node.Input(0)) is not { } inElements || node.Input(1)?.Type?.Shape is not { Rank: >= 3, IsStatic: true } w)
        {
            return null;
        }
        var dims = w.ToArray();
        double perInput = 1;
        for (var i = 1; i < dims.Length; i++)
        {
            perInput *= dims[i];
        }
        var bias = node.Input(2) is not null ? CostModel.Elements(node.Output(0)) ?? 0 : 0;
        return 2.0 * inElements * perInput + bias;
    }

    /// <summary>Window pools: ∏kernel ops per output; global pools: one per input element.</summary>
    private static double? Pooling(Node node, long? outElements)
    {
        if (node.OpType.StartsWith("Global", StringComparison.Ordinal))
        {
            return CostModel.Elements(node.Input(0)) is { } n ? n : null;
        }
        if (outElements is null)
        {
            return null;
        }
        var kernel = node.Attributes.GetInts("kernel_shape");
        var k = kernel is null ? 1 : kernel.Aggregate(1.0, (acc, v) => acc * v);
        return outElements.Value * k;
    }
}
