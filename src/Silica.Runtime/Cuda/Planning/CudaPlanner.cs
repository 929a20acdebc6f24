using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// Turns an ONNX model plus concrete input shapes into an <see cref="ExecutionPlan"/>: shapes are inferred, constant
/// subgraphs folded on the host, nodes lowered to fused steps, float storage set by precision, and the arena packed.
/// </summary>
internal static class CudaPlanner
{
    /// <exception cref="PlanException">An operator, attribute or shape the CUDA engine does not support.</exception>
    public static ExecutionPlan Plan(OnnxModel model, IReadOnlyList<long[]> inputShapes, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShapes);
        var clone = Clone(model);
        BindInputs(clone.Graph, inputShapes);
        var inference = ShapeInferencer.Infer(clone);
        if (inference.Diagnostics.Count > 0)
        {
            throw new PlanException(inference.Diagnostics[0].Message);
        }

        var b = new PlanBuilder(clone, options);
        var graph = clone.Graph;
        foreach (var v in graph.Initializers)
        {
            b.AddInitializer(v);
        }
        var index = 0;
        foreach (var v in graph.RuntimeInputs)
        {
            b.InputBuffer(v, index++);
        }
        foreach (var node in graph.TopologicalOrder())
        {
            if (!b.IsDone(node))
            {
                NodeLowering.Lower(b, node);
            }
        }
        var outputs = OutputBinding.Bind(b, graph);
        PrecisionAssigner.Apply(b, outputs, options.Precision);
        var arena = MemoryPlanner.Assign(b.Buffers, b.Steps, b.Inputs, outputs);
        var plan = new ExecutionPlan
        {
            Buffers = b.Buffers,
            Steps = b.Steps,
            ArenaBytes = arena,
            Inputs = b.Inputs,
            Outputs = outputs,
            WeightBytes = b.Buffers.Where(x => x.Kind == BufferKind.Weight).Sum(x => (long)x.Data!.Length),
            Notes = b.Notes,
        };
        var fp8 = options.Precision == Backends.Precision.Fp8 ? b.GemmBWeights.Order().ToList() : [];
        ExecutionPlanInfo.Attach(plan, new ExecutionPlanInfo(options.Precision, fp8));
        return plan;
    }

    /// <summary>A deep copy sharing the immutable weight bytes, so inference and rewrites never touch the caller's model.</summary>
    private static OnnxModel Clone(OnnxModel model)
    {
        var graph = OnnxGraph.FromProto(model.Graph.ToProto().Clone());
        var clone = new OnnxModel(graph, model.Opset, model.IrVersion);
        foreach (var (domain, version) in model.OpsetImports)
        {
            clone.SetOpset(domain, version);
        }
        return clone;
    }

    private static void BindInputs(OnnxGraph graph, IReadOnlyList<long[]> shapes)
    {
        var inputs = graph.RuntimeInputs.ToList();
        if (inputs.Count != shapes.Count)
        {
            throw new PlanException($"the model has {inputs.Count} runtime inputs; {shapes.Count} shapes were given");
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var v = inputs[i];
            var declared = v.Type?.Shape;
            if (v.Type is null)
            {
                throw new PlanException($"input '{v.Name}' has no declared type");
            }
            if (declared is not null)
            {
                if (declared.Rank != shapes[i].Length)
                {
                    throw new PlanException($"input '{v.Name}' has rank {declared.Rank}; shape [{string.Join(',', shapes[i])}] was given");
                }
                for (var d = 0; d < declared.Rank; d++)
                {
                    if (declared[d].IsKnown && declared[d].KnownValue != shapes[i][d])
                    {
                        throw new PlanException($"input '{v.Name}' has dimension {d} = {declared[d]}; {shapes[i][d]} was given");
                    }
                }
            }
            v.Type = new TensorType(v.Type.ElementType, TensorShape.Of(shapes[i]));
        }
    }
}
