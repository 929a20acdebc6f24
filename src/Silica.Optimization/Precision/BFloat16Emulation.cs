using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Precision;

/// <summary>
/// Measures BF16 accuracy on a CPU without BF16 kernels. ONNX Runtime's CPU provider has almost no BF16
/// kernels (a BF16 model fails to load there), so this rewrite makes an FP32 model with BF16's rounding:
/// the same conversion plan as <see cref="HalfPrecisionConverter"/>, but every weight the plan converts is
/// stored as FP32 holding its BF16-rounded value, and every tensor a converted node computes is rounded to BF16
/// and widened again (<c>Cast(to=bfloat16)</c> then <c>Cast(to=float)</c>) before anything reads it.
/// </summary>
/// <remarks>
/// This matches BF16 hardware that reads BF16 operands, accumulates in FP32 and rounds each result to BF16
/// (tensor cores, AMX, Neuron, TPU matrix units). It is for evaluation only: the model is not smaller or faster,
/// and a real BF16 kernel that accumulates in BF16 would lose more than this shows. Data-movement operators are
/// exact, so their outputs are not rounded again.
/// </remarks>
public static class BFloat16Emulation
{
    /// <summary>Rewrites <paramref name="model"/> in place into its FP32 emulation of the BF16 conversion.</summary>
    /// <param name="model">The FP32 model.</param>
    /// <param name="options">The conversion options; <see cref="HalfPrecisionOptions.Target"/> is taken as BFloat16 whatever it says.</param>
    /// <returns>The conversion's report (what would be converted and kept in a real BF16 model).</returns>
    public static ConversionReport Apply(OnnxModel model, HalfPrecisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var report = HalfPrecisionConverter.Convert(model, options with { Target = TensorDataType.BFloat16 });
        Lower(model.Graph);
        return report;
    }

    /// <summary>Turns a BF16 graph into the FP32 graph that rounds like it.</summary>
    private static void Lower(OnnxGraph graph)
    {
        foreach (var init in graph.Initializers.ToArray())
        {
            if (init.Initializer!.DataType == (int)TensorDataType.BFloat16)
            {
                // BF16 → FP32 widening is exact: the FP32 tensor holds the rounded values.
                var values = TensorData.ToDoubleArray(init.Initializer).Select(v => (float)v).ToArray();
                var widened = TensorData.FromFloats(init.Name, [.. init.Initializer.Dims], values);
                graph.RemoveInitializer(init);
                graph.AddInitializer(widened);
            }
        }
        var rounded = new List<Value>();
        foreach (var node in graph.Nodes.ToArray())
        {
            var isBoundaryCast = node.OpType == "Cast" && node.Attributes.GetInt("to", 0) == (long)TensorDataType.BFloat16;
            if (isBoundaryCast)
            {
                node.Attributes.Set(Attr.Int("to", (long)TensorDataType.Float));
            }
            else if (node.OpType == "ConstantOfShape" && node.Attributes.GetTensor("value") is { DataType: (int)TensorDataType.BFloat16 } value)
            {
                node.Attributes.Set(Attr.Tensor("value", TensorData.FromFloats(value.Name, [.. value.Dims], [.. TensorData.ToDoubleArray(value).Select(v => (float)v)])));
            }
            foreach (var output in node.Outputs)
            {
                if (output?.Type is { ElementType: TensorDataType.BFloat16 } t)
                {
                    output.Type = t with { ElementType = TensorDataType.Float };
                    if (isBoundaryCast || !OpPrecisionRules.FollowInput.Contains(node.OpType))
                    {
                        rounded.Add(output);
                    }
                }
            }
        }
        foreach (var input in graph.RuntimeInputs.Where(i => i.Type is { ElementType: TensorDataType.BFloat16 }).ToArray())
        {
            input.Type = input.Type! with { ElementType = TensorDataType.Float };
            rounded.Add(input);
        }
        foreach (var v in rounded)
        {
            InsertRounding(graph, v);
        }
        Passes.GraphEdits.Resort(graph);
    }

    /// <summary>Makes every reader of <paramref name="value"/> (and a graph output of that name) see it rounded to BF16.</summary>
    private static void InsertRounding(OnnxGraph graph, Value value)
    {
        var name = value.Name;
        var type = value.Type!;
        if (!value.IsGraphInput)
        {
            graph.RenameValue(value, graph.UniqueName(name + "_unrounded"));
        }
        var toBf16 = graph.AddNode("Cast", [value], [graph.UniqueName(name + "_bf16")], [Attr.Int("to", (long)TensorDataType.BFloat16)], graph.UniqueName(name + "_round"));
        toBf16.Output(0)!.Type = type with { ElementType = TensorDataType.BFloat16 };
        var back = graph.AddNode("Cast", [toBf16.Output(0)], [value.IsGraphInput ? graph.UniqueName(name + "_rounded") : name],
            [Attr.Int("to", (long)TensorDataType.Float)], graph.UniqueName(name + "_widen"));
        var result = back.Output(0)!;
        result.Type = type;
        graph.ReplaceAllUses(value, result);
        // ReplaceAllUses moved the rounding Cast's own input too; point it back at the unrounded value.
        graph.ReplaceInput(toBf16, 0, value);
    }
}
