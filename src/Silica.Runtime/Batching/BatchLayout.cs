using Silica.Onnx.Model;
using Silica.Runtime.Backends;

namespace Silica.Runtime.Batching;

/// <summary>
/// How a session's tensors batch: every input and output has the batch as its leading dimension, and every
/// other output dimension is a constant or equals some input dimension, so output shapes follow from inputs.
/// Worked out once, so the per-batch path only copies numbers.
/// </summary>
internal sealed class BatchLayout
{
    private BatchLayout(IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs, long? fixedBatch, DimSource[][] outputDims)
    {
        Inputs = inputs;
        Outputs = outputs;
        FixedBatch = fixedBatch;
        OutputDims = outputDims;
    }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>The batch size the session was fixed to (every batch is padded to it), or null when dynamic.</summary>
    public long? FixedBatch { get; }

    /// <summary>Per output, per axis after the first: where its size comes from.</summary>
    public DimSource[][] OutputDims { get; }

    /// <exception cref="NotSupportedException">The session's tensors do not batch along dimension 0.</exception>
    public static BatchLayout For(ISession session, int maxBatchSize)
    {
        long? fixedBatch = null;
        foreach (var t in session.Inputs.Concat(session.Outputs))
        {
            if (t.Shape.Rank == 0)
            {
                throw new NotSupportedException($"model '{session.ModelName}': '{t.Name}' is a scalar; batching needs a leading batch dimension");
            }
            if (t.ElementType.BitsPerElement() is var bits && (bits == 0 || bits % 8 != 0))
            {
                throw new NotSupportedException($"model '{session.ModelName}': '{t.Name}' is {t.ElementType.DisplayName()}, which cannot be split into rows");
            }
            if (t.Shape[0].Value is { } known)
            {
                if (fixedBatch is { } f && f != known)
                {
                    throw new NotSupportedException($"model '{session.ModelName}': leading dimensions disagree ({f} and {known} for '{t.Name}')");
                }
                fixedBatch = known;
            }
        }
        if (fixedBatch < maxBatchSize)
        {
            throw new NotSupportedException($"model '{session.ModelName}' runs batch {fixedBatch} only; MaxBatchSize {maxBatchSize} is larger");
        }
        var outputDims = new DimSource[session.Outputs.Count][];
        for (var k = 0; k < outputDims.Length; k++)
        {
            var shape = session.Outputs[k].Shape;
            outputDims[k] = new DimSource[shape.Rank - 1];
            for (var a = 1; a < shape.Rank; a++)
            {
                outputDims[k][a - 1] = Resolve(session, session.Outputs[k], shape[a], a);
            }
        }
        return new BatchLayout(session.Inputs, session.Outputs, fixedBatch, outputDims);
    }

    private static DimSource Resolve(ISession session, TensorInfo output, Dim dim, int axis)
    {
        if (dim.Value is { } known)
        {
            return new DimSource(known, -1, -1);
        }
        if (dim.Symbol is { } symbol)
        {
            for (var i = 0; i < session.Inputs.Count; i++)
            {
                var shape = session.Inputs[i].Shape;
                for (var a = 1; a < shape.Rank; a++)
                {
                    if (shape[a].Symbol == symbol)
                    {
                        return new DimSource(-1, i, a);
                    }
                }
            }
        }
        throw new NotSupportedException(
            $"model '{session.ModelName}': dimension {axis} of output '{output.Name}' ({dim}) does not follow from the inputs; the batcher cannot size it");
    }
}

/// <summary>An output dimension: a constant (<see cref="Known"/> ≥ 0) or input <see cref="Input"/>'s axis <see cref="Axis"/>.</summary>
internal readonly record struct DimSource(long Known, int Input, int Axis);
