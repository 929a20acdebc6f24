using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>Turns the buffers of the graph outputs into Output buffers, copying where a buffer cannot be one.</summary>
internal static class OutputBinding
{
    public static List<int> Bind(PlanBuilder b, OnnxGraph graph)
    {
        var outputs = new List<int>();
        for (var i = 0; i < graph.Outputs.Count; i++)
        {
            var v = graph.Outputs[i];
            var id = b.Buf(v);
            var buffer = b.Buffers[id];
            if (buffer.Kind == BufferKind.Arena)
            {
                buffer.Kind = BufferKind.Output;
                buffer.GraphIndex = i;
                outputs.Add(id);
                continue;
            }
            // An Identity-like view at the end (same shape) needs no copy: its base becomes the output.
            if (buffer.Kind == BufferKind.View && b.Buffers[buffer.ViewOf] is { Kind: BufferKind.Arena } root && root.Shape.SequenceEqual(buffer.Shape)
                && !b.Buffers.Any(x => x.Kind == BufferKind.View && x.ViewOf == root.Id && !x.Shape.SequenceEqual(root.Shape)))
            {
                root.Kind = BufferKind.Output;
                root.GraphIndex = i;
                outputs.Add(root.Id);
                continue;
            }
            // A view, an input, a weight, or an output listed twice: the executor downloads a dedicated copy.
            var copy = b.NewBuffer(v.Name, buffer.Type, PlanBuilder.ShapeOf(v), BufferKind.Output);
            b.Buffers[copy].GraphIndex = i;
            b.Emit(new CopyStep($"{v.Name}.copy", id, copy));
            b.Note($"graph output {v.Name} is a {buffer.Kind} buffer: copied into its own output");
            outputs.Add(copy);
        }
        return outputs;
    }
}
