using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Batching;

/// <summary>
/// Checks a request before it queues, so a bad one fails alone and never reaches a batch. Allocation-free
/// unless it finds an error.
/// </summary>
internal static class RequestValidation
{
    public static InvalidInputException? Validate(BatchLayout layout, int maxBatchSize, IReadOnlyList<Tensor>? inputs)
    {
        var infos = layout.Inputs;
        if (inputs is null || inputs.Count != infos.Count)
        {
            return new InvalidInputException(
                $"expected {infos.Count} input(s) ({string.Join(", ", infos.Select(i => i.Name))}), got {inputs?.Count ?? 0}");
        }
        long rows = -1;
        for (var j = 0; j < infos.Count; j++)
        {
            var info = infos[j];
            var t = inputs[j];
            if (t is null)
            {
                return new InvalidInputException($"input '{info.Name}' is missing");
            }
            if (t.ElementType != info.ElementType)
            {
                return new InvalidInputException($"input '{info.Name}' expects {info.ElementType.DisplayName()}, got {t.ElementType.DisplayName()}");
            }
            if (t.Rank != info.Shape.Rank)
            {
                return new InvalidInputException($"input '{info.Name}' expects rank {info.Shape.Rank} {info.Shape}, got {t}");
            }
            var n = t.Shape[0];
            if (n < 1 || n > maxBatchSize)
            {
                return new InvalidInputException($"input '{info.Name}' has {n} rows; a request must have 1 to {maxBatchSize}");
            }
            if (rows >= 0 && n != rows)
            {
                return new InvalidInputException($"input '{info.Name}' has {n} rows but '{infos[0].Name}' has {rows}");
            }
            rows = n;
            for (var a = 1; a < t.Rank; a++)
            {
                if (info.Shape[a].Value is { } known && known != t.Shape[a])
                {
                    return new InvalidInputException($"input '{info.Name}' expects shape {info.Shape}, got {Tensor.Format(t.Shape)}");
                }
                if (info.Shape[a].Symbol is { } symbol && FindSymbol(infos, inputs, j, a, symbol) is { } other && other != t.Shape[a])
                {
                    return new InvalidInputException($"input '{info.Name}' dimension {a} ({symbol}) is {t.Shape[a]} but another input has {other}");
                }
            }
        }
        return null;
    }

    /// <summary>True when the two requests' inputs agree on every dimension after the batch (they can share a batch).</summary>
    public static bool SameRowShapes(PendingRequest a, PendingRequest b)
    {
        for (var j = 0; j < a.Inputs.Count; j++)
        {
            if (!a.Inputs[j].Shape[1..].SequenceEqual(b.Inputs[j].Shape[1..]))
            {
                return false;
            }
        }
        return true;
    }

    // The size an earlier input (or earlier axis) gives the same symbol, if any.
    private static long? FindSymbol(IReadOnlyList<TensorInfo> infos, IReadOnlyList<Tensor> inputs, int input, int axis, string symbol)
    {
        for (var j = 0; j <= input; j++)
        {
            var shape = infos[j].Shape;
            var end = j == input ? axis : shape.Rank;
            for (var a = 1; a < end; a++)
            {
                if (shape[a].Symbol == symbol)
                {
                    return inputs[j].Shape[a];
                }
            }
        }
        return null;
    }
}
