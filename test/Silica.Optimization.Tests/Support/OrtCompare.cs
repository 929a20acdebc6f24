using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Tests;

namespace Silica.Optimization.Tests.Support;

/// <summary>One named input: element type, shape and values (float or int64).</summary>
internal sealed record OrtInput(string Name, TensorDataType Type, long[] Shape, float[]? Floats = null, long[]? Int64s = null);

/// <summary>One output of a run, converted to float (FP16 and BF16 outputs are widened).</summary>
internal sealed record OrtOutput(string Name, long[] Shape, float[] Values);

/// <summary>
/// Runs ONNX models under ONNX Runtime's CPU provider from their serialized bytes and compares outputs.
/// Tolerances are absolute plus relative to the largest reference magnitude of each output:
/// <c>max|a − b| ≤ atol + rtol·max|a|</c>.
/// </summary>
internal static class OrtCompare
{
    /// <summary>Runs the model once on the inputs and returns every graph output, widened to float.</summary>
    public static IReadOnlyList<OrtOutput> Run(OnnxModel model, IReadOnlyList<OrtInput> inputs,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_DISABLE_ALL) => Run(model.ToBytes(), inputs, level);

    /// <summary>Runs serialized model bytes once.</summary>
    public static IReadOnlyList<OrtOutput> Run(byte[] bytes, IReadOnlyList<OrtInput> inputs,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_DISABLE_ALL)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = 2, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(bytes, options);
        var values = new List<OrtValue>();
        try
        {
            foreach (var input in inputs)
            {
                var declared = session.InputMetadata[input.Name].ElementDataType;
                values.Add(CreateValue(input, declared));
            }
            var outputNames = session.OutputNames.ToArray();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [.. inputs.Select(i => i.Name)], values, outputNames);
            return [.. outputNames.Select((name, i) => ToOutput(name, results[i]))];
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>Asserts each output of <paramref name="actual"/> equals the reference within the tolerance; returns the worst relative error.</summary>
    public static double AssertClose(IReadOnlyList<OrtOutput> expected, IReadOnlyList<OrtOutput> actual, double rtol, double atol = 0, string context = "")
    {
        Assert.Equal(expected.Select(o => o.Name), actual.Select(o => o.Name));
        double worst = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(e.Shape, a.Shape);
            var scale = e.Values.Length == 0 ? 0 : e.Values.Max(v => Math.Abs((double)v));
            double maxDiff = 0;
            for (var k = 0; k < e.Values.Length; k++)
            {
                var d = Math.Abs((double)e.Values[k] - a.Values[k]);
                maxDiff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(maxDiff, d);
            }
            var limit = atol + (rtol * scale);
            Assert.True(maxDiff <= limit, $"{context} output '{e.Name}': max |diff| {maxDiff:G4} > {limit:G4} (max |ref| {scale:G4})");
            worst = Math.Max(worst, scale == 0 ? maxDiff : maxDiff / scale);
        }
        return worst;
    }

    /// <summary>Cosine similarity of two outputs' values.</summary>
    public static double Cosine(OrtOutput a, OrtOutput b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Values.Length; i++)
        {
            dot += (double)a.Values[i] * b.Values[i];
            na += (double)a.Values[i] * a.Values[i];
            nb += (double)b.Values[i] * b.Values[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>Deterministic inputs for a model's runtime inputs, with symbolic dims taken from <paramref name="dims"/>.</summary>
    public static IReadOnlyList<OrtInput> InputsFor(OnnxModel model, IReadOnlyDictionary<string, long> dims, int seed = 7, long vocab = 1000)
    {
        var random = new Random(seed);
        var inputs = new List<OrtInput>();
        foreach (var v in model.Graph.RuntimeInputs)
        {
            var shape = v.Type!.Shape!.Select(d => d.IsKnown ? d.KnownValue : dims[d.Symbol ?? throw new InvalidOperationException($"input {v.Name} has an unknown dim")]).ToArray();
            var n = shape.Aggregate(1L, (x, y) => x * y);
            if (v.Type.ElementType == TensorDataType.Int64)
            {
                var values = new long[n];
                for (var i = 0; i < n; i++)
                {
                    values[i] = v.Name switch
                    {
                        "attention_mask" => i % shape[^1] < shape[^1] - 3 ? 1 : 0,
                        "token_type_ids" => i % shape[^1] < shape[^1] / 2 ? 0 : 1,
                        "position_ids" => (i % shape[^1]) + dims.GetValueOrDefault("past_seq"),
                        _ => random.NextInt64(vocab),
                    };
                }
                inputs.Add(new OrtInput(v.Name, TensorDataType.Int64, shape, Int64s: values));
            }
            else
            {
                var values = new float[n];
                for (var i = 0; i < n; i++)
                {
                    values[i] = (float)((random.NextDouble() * 2) - 1);
                }
                inputs.Add(new OrtInput(v.Name, v.Type.ElementType, shape, Floats: values));
            }
        }
        return inputs;
    }

    /// <summary>A zoo model built with its default seed.</summary>
    public static OnnxModel Zoo(string name) => ModelZoo.Build(name);

    /// <summary>One of the three OCR models.</summary>
    public static OnnxModel Ocr(string file) => OnnxModel.Load(TestData.OcrModel(file));

    private static OrtValue CreateValue(OrtInput input, TensorElementType declared)
    {
        if (input.Int64s is { } longs)
        {
            return OrtValue.CreateTensorValueFromMemory(longs, input.Shape);
        }
        var floats = input.Floats!;
        return declared switch
        {
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(floats.Select(f => (Float16)f).ToArray(), input.Shape),
            TensorElementType.BFloat16 => OrtValue.CreateTensorValueFromMemory(floats.Select(f => (BFloat16)f).ToArray(), input.Shape),
            _ => OrtValue.CreateTensorValueFromMemory(floats, input.Shape),
        };
    }

    private static OrtOutput ToOutput(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        float[] values = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => [.. value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)h)],
            TensorElementType.BFloat16 => [.. value.GetTensorDataAsSpan<BFloat16>().ToArray().Select(b => (float)b)],
            TensorElementType.Int64 => [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v)],
            TensorElementType.Int32 => [.. value.GetTensorDataAsSpan<int>().ToArray().Select(v => (float)v)],
            TensorElementType.Bool => [.. value.GetTensorDataAsSpan<bool>().ToArray().Select(v => v ? 1f : 0f)],
            _ => throw new NotSupportedException($"output {name} has type {info.ElementDataType}"),
        };
        return new OrtOutput(name, info.Shape, values);
    }
}
