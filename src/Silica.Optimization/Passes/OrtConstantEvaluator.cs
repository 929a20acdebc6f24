using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Passes;

/// <summary>
/// Evaluates constant nodes with ONNX Runtime: the nodes and the constants they read become a small model
/// with no inputs, run once on the CPU. Folding then matches ONNX Runtime's own kernels bit for bit, for
/// every operator it implements, instead of a second hand-written implementation of each op.
/// </summary>
internal static class OrtConstantEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="nodes"/> (in topological order; every input is a constant or an output of an
    /// earlier node in the list) and returns the tensor of each requested output; null when ONNX Runtime
    /// rejects the subgraph.
    /// </summary>
    public static Dictionary<string, TensorProto>? Evaluate(OnnxModel model, IReadOnlyList<Node> nodes, IReadOnlyCollection<Value> wanted)
    {
        var g = new OnnxGraph("fold");
        var produced = new HashSet<Value>(nodes.SelectMany(n => n.Outputs).OfType<Value>());
        foreach (var node in nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (input is not null && !produced.Contains(input) && g.FindValue(input.Name) is null)
                {
                    g.AddInitializer(input.Initializer!);
                }
            }
        }
        foreach (var node in nodes)
        {
            var inputs = node.Inputs.Select(i => i is null ? null : g.GetOrAddValue(i.Name)).ToArray();
            var outputs = node.Outputs.Select(o => o?.Name ?? "").ToArray();
            g.AddNode(node.OpType, inputs, outputs, node.Attributes.Select(a => a.Clone()), node.Name, node.Domain);
        }
        foreach (var v in wanted)
        {
            g.AddOutput(g.GetOrAddValue(v.Name));
        }
        var probe = new OnnxModel(g, model.Opset, model.IrVersion);
        foreach (var (domain, version) in model.OpsetImports)
        {
            probe.SetOpset(domain, version);
        }
        var bytes = probe.ToBytes();
        try
        {
            using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
                IntraOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            using var session = new InferenceSession(bytes, options);
            using var runOptions = new RunOptions();
            var names = wanted.Select(v => v.Name).ToArray();
            using var results = session.Run(runOptions, Array.Empty<string>(), Array.Empty<OrtValue>(), names);
            var tensors = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                if (ToProto(names[i], results[i]) is not { } t)
                {
                    return null;
                }
                tensors[names[i]] = t;
            }
            return tensors;
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
    }

    private static TensorProto? ToProto(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            return null;
        }
        var info = value.GetTensorTypeAndShape();
        var type = (TensorDataType)(int)info.ElementDataType;
        if (type == TensorDataType.String || type.BitsPerElement() < 8)
        {
            return null;
        }
        var raw = value.GetTensorMutableRawData().ToArray();
        return TensorData.FromRaw(name, type, info.Shape, raw);
    }
}
