using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>
/// Checks a whole request against a model version before anything is allocated or queued (RELIABILITY rows 5–11):
/// names, datatypes, full shapes, the batch limit, and byte sizes with checked arithmetic. The first fault wins and
/// its message names the tensor and what was expected.
/// </summary>
internal static class RequestValidator
{
    /// <summary>The request's inputs in the batcher's order, its rows, and the output indices to return.</summary>
    /// <exception cref="InvalidRequestException">The request does not fit the model.</exception>
    public static (NamedTensor[] Inputs, long Rows, int[] Outputs) Validate(LoadedVersion model, InferenceRequest request)
    {
        var inputs = Order(model, request.Inputs);
        long rows = -1;
        for (var i = 0; i < inputs.Length; i++)
        {
            var n = CheckInput(model, model.Inputs[i], inputs[i]);
            if (rows >= 0 && n != rows)
            {
                throw new InvalidRequestException($"input '{inputs[i].Name}' has batch size {n} but input '{inputs[0].Name}' has {rows}; all inputs share the batch dimension");
            }
            rows = n;
        }
        return (inputs, rows, SelectOutputs(model, request.Outputs));
    }

    private static NamedTensor[] Order(LoadedVersion model, IReadOnlyList<NamedTensor>? given)
    {
        var specs = model.Inputs;
        var ordered = new NamedTensor[specs.Length];
        List<string>? extra = null;
        List<string>? duplicate = null;
        foreach (var t in given ?? [])
        {
            var i = IndexOf(specs, t?.Name);
            if (t is null || i < 0)
            {
                (extra ??= []).Add(t?.Name ?? "(null)");
            }
            else if (ordered[i] is not null)
            {
                (duplicate ??= []).Add(t.Name);
            }
            else
            {
                ordered[i] = t;
            }
        }
        List<string>? missing = null;
        for (var i = 0; i < specs.Length; i++)
        {
            if (ordered[i] is null)
            {
                (missing ??= []).Add(specs[i].Name);
            }
        }
        if (missing is null && extra is null && duplicate is null)
        {
            return ordered;
        }
        var problems = new List<string>(3);
        if (missing is not null)
        {
            problems.Add($"missing input(s) {List(missing)}");
        }
        if (extra is not null)
        {
            problems.Add($"unexpected input(s) {List(extra)}");
        }
        if (duplicate is not null)
        {
            problems.Add($"input(s) given more than once {List(duplicate)}");
        }
        throw new InvalidRequestException($"{string.Join("; ", problems)}; model '{model.Model}' takes {List(specs.Select(s => s.Name))}");
    }

    /// <returns>The tensor's batch size (its leading dimension).</returns>
    private static long CheckInput(LoadedVersion model, TensorSpec spec, NamedTensor t)
    {
        if (t.ElementType != spec.ElementType)
        {
            throw new InvalidRequestException($"input '{spec.Name}' has datatype {OipDatatypes.Display(t.ElementType)}; the model expects {OipDatatypes.Display(spec.ElementType)}");
        }
        var shape = t.Shape ?? [];
        if (shape.Length != spec.Dims.Length)
        {
            throw new InvalidRequestException($"input '{spec.Name}' has shape {Format(shape)} of rank {shape.Length}; the model expects rank {spec.Dims.Length}, shape {Format(spec.Dims)}");
        }
        for (var a = 0; a < shape.Length; a++)
        {
            if (shape[a] < 0)
            {
                throw new InvalidRequestException($"input '{spec.Name}' has shape {Format(shape)}: dimension {a} is {shape[a]}; request dimensions must be 0 or more");
            }
        }
        for (var a = 0; a < shape.Length; a++)
        {
            if (spec.Dims[a] >= 0 && shape[a] != spec.Dims[a])
            {
                throw new InvalidRequestException($"input '{spec.Name}' has shape {Format(shape)}: dimension {a} is {shape[a]}; the model expects {spec.Dims[a]} (shape {Format(spec.Dims)})");
            }
        }
        var rows = shape.Length > 0 ? shape[0] : 1;
        var max = model.Config.Batching.MaxBatchSize;
        if (rows < 1 || rows > max)
        {
            throw new InvalidRequestException($"input '{spec.Name}' has batch size {rows} (dimension 0 of {Format(shape)}); this model accepts 1 to {max} (max_batch_size)");
        }
        long bytes;
        try
        {
            long count = 1;
            foreach (var d in shape)
            {
                count = checked(count * d);
            }
            bytes = t.ElementType.ByteCount(count);
        }
        catch (OverflowException)
        {
            throw new InvalidRequestException($"input '{spec.Name}' has shape {Format(shape)}, whose size overflows 64 bits");
        }
        if (bytes != t.Data.Length)
        {
            throw new InvalidRequestException($"input '{spec.Name}' with shape {Format(shape)} and datatype {OipDatatypes.Display(t.ElementType)}: expected {bytes} bytes, got {t.Data.Length}");
        }
        return rows;
    }

    private static int[] SelectOutputs(LoadedVersion model, IReadOnlyList<RequestedOutput>? requested)
    {
        var specs = model.Outputs;
        if (requested is null || requested.Count == 0)
        {
            var all = new int[specs.Length];
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }
            return all;
        }
        var indices = new int[requested.Count];
        List<string>? unknown = null;
        List<string>? duplicate = null;
        for (var k = 0; k < requested.Count; k++)
        {
            var name = requested[k]?.Name;
            var i = IndexOf(specs, name);
            if (i < 0)
            {
                (unknown ??= []).Add(name ?? "(null)");
            }
            else if (indices.AsSpan(0, k).Contains(i))
            {
                (duplicate ??= []).Add(name!);
            }
            indices[k] = i;
        }
        if (unknown is not null)
        {
            throw new InvalidRequestException($"unknown requested output(s) {List(unknown)}; model '{model.Model}' has outputs {List(specs.Select(s => s.Name))}");
        }
        if (duplicate is not null)
        {
            throw new InvalidRequestException($"output(s) requested more than once {List(duplicate)}");
        }
        return indices;
    }

    private static int IndexOf(TensorSpec[] specs, string? name)
    {
        for (var i = 0; i < specs.Length; i++)
        {
            if (specs[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    // Tensor names come from the client: quote them safely.
    private static string List(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(ModelNames.Display)) + "]";

    private static string Format(long[] shape) => "[" + string.Join(",", shape) + "]";
}
