using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Precision;

/// <summary>The precision of every node that touches float data: half, kept FP32, or following its input.</summary>
internal sealed class PrecisionPlan
{
    private readonly Dictionary<Node, bool> _half = [];
    private readonly List<KeptNode> _kept = [];

    private PrecisionPlan()
    {
    }

    /// <summary>Float nodes left in FP32, with reasons.</summary>
    public IReadOnlyList<KeptNode> Kept => _kept;

    /// <summary>True when the node runs in half precision; false when FP32; absent when it touches no float data.</summary>
    public IReadOnlyDictionary<Node, bool> IsHalf => _half;

    public static PrecisionPlan Create(OnnxGraph graph, HalfPrecisionOptions options)
    {
        var plan = new PrecisionPlan();
        var keep = options.EffectiveKeepOpTypes;
        var layerNorm = keep.Contains(HalfPrecisionOptions.DecomposedLayerNorm) ? DecomposedLayerNormFinder.Find(graph) : [];
        // Where each float value lives once converted: true = half. Graph inputs follow KeepIoTypes;
        // initializers adapt to their readers, so they do not pull a node either way.
        var home = new Dictionary<Value, bool>();
        foreach (var input in graph.RuntimeInputs)
        {
            if (IsFloat(input))
            {
                home[input] = !options.KeepIoTypes;
            }
        }
        foreach (var node in graph.TopologicalOrder())
        {
            var floatIn = node.Inputs.Where(IsFloat).Cast<Value>().ToList();
            var floatOut = node.Outputs.Where(IsFloat).Cast<Value>().ToList();
            var castToFloat = node.OpType == "Cast" && node.Attributes.GetInt("to", 0) == (long)TensorDataType.Float;
            if (floatIn.Count == 0 && floatOut.Count == 0 && !castToFloat)
            {
                if (!node.Inputs.Concat(node.Outputs).Any(v => v is { Type: null }))
                {
                    continue; // integer and shape computations: untouched
                }
            }
            if ((OpPrecisionRules.AnyInputPrecision.Contains(node.OpType) || node.OpType == "Cast") && floatOut.Count == 0)
            {
                continue;
            }
            var reason = KeepReason(node, options, keep, layerNorm);
            bool half;
            if (reason is not null)
            {
                half = false;
                plan._kept.Add(new KeptNode(node.Name, node.OpType, reason));
            }
            else if (OpPrecisionRules.FollowInput.Contains(node.OpType))
            {
                var homes = floatIn.Where(home.ContainsKey).Select(v => home[v]).ToList();
                half = homes.Count == 0 || homes.Any(h => h);
            }
            else
            {
                half = true;
            }
            plan._half[node] = half;
            foreach (var o in floatOut)
            {
                home[o] = half;
            }
        }
        return plan;
    }

    public Dictionary<string, int> ConvertedOps()
    {
        var ops = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, half) in _half)
        {
            if (half)
            {
                ops[node.OpType] = ops.GetValueOrDefault(node.OpType) + 1;
            }
        }
        return ops;
    }

    /// <summary>True for a value statically typed float32.</summary>
    public static bool IsFloat(Value? v) => v?.Type?.ElementType == TensorDataType.Float;

    private static bool ExceedsHalfRange(Value? v) =>
        v is { Initializer: { DataType: (int)TensorDataType.Float } t } && TensorData.HasData(t)
        && TensorData.ToDoubleArray(t).Any(x => double.IsFinite(x) && Math.Abs(x) > 65504);

    private static string? KeepReason(Node node, HalfPrecisionOptions options, IReadOnlySet<string> keep, HashSet<Node> layerNorm)
    {
        if (options.KeepNodes?.Contains(node.Name) == true)
        {
            return "kept by name";
        }
        if (!node.IsDefaultDomain)
        {
            return $"operator of domain '{node.Domain}'";
        }
        if (OpPrecisionRules.NoHalfForm.Contains(node.OpType) || node.Attributes.Any(a => a.G is not null || a.Graphs.Count > 0))
        {
            return "no half-precision form";
        }
        if (node.Inputs.Concat(node.Outputs).Any(v => v is { Type: null }))
        {
            return "a tensor type is unknown";
        }
        if (options.Target == TensorDataType.Float16 && node.Inputs.Any(ExceedsHalfRange))
        {
            // Clamping a weight to 65504 changes the model (a BatchNorm variance of 1e5 would silently become 65504).
            return "a constant input exceeds the float16 range";
        }
        if (layerNorm.Contains(node))
        {
            return "decomposed LayerNorm or RMSNorm";
        }
        return keep.Contains(node.OpType) ? "in the keep list" : null;
    }
}
