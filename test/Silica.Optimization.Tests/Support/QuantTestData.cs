using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Optimization.Data;
using Silica.Runtime.Tensors;
using Silica.Tests;

namespace Silica.Optimization.Tests.Support;

/// <summary>
/// Real models and synthetic (seeded, labelled synthetic) sample sets for the quantization tests. Zoo models are
/// built once per process and handed out as fresh copies, because quantization rewrites in place.
/// </summary>
internal static class QuantTestData
{
    private static readonly Dictionary<string, byte[]> Built = [];

    /// <summary>A fresh copy of a zoo model.</summary>
    public static OnnxModel Zoo(string name)
    {
        byte[] bytes;
        lock (Built)
        {
            if (!Built.TryGetValue(name, out bytes!))
            {
                bytes = ModelZoo.Build(name).ToBytes();
                Built[name] = bytes;
            }
        }
        return OnnxModel.Load(bytes);
    }

    /// <summary>One of the three OCR models.</summary>
    public static OnnxModel Ocr(string fileName) => OnnxModel.Load(TestData.OcrModel(fileName));

    public static OnnxModel Copy(OnnxModel model) => OnnxModel.Load(model.ToBytes());

    /// <summary>
    /// Synthetic samples: a tensor per runtime input with symbolic and unknown dims taken from <paramref name="dims"/>
    /// (by symbol, or by "input:axis"); float inputs uniform in [-1, 1], int64 token ids below <paramref name="vocab"/>,
    /// attention masks all ones, token type ids zero.
    /// </summary>
    public static SampleSet Synthetic(OnnxModel model, int count, int seed, IReadOnlyDictionary<string, long> dims, int vocab = 1000)
    {
        var random = new Random(seed);
        var samples = new List<Sample>();
        for (var s = 0; s < count; s++)
        {
            var inputs = new Dictionary<string, Tensor>();
            foreach (var input in model.Graph.RuntimeInputs)
            {
                var shape = input.Type!.Shape!;
                var concrete = new long[shape.Rank];
                for (var a = 0; a < concrete.Length; a++)
                {
                    concrete[a] = shape[a].Value
                        ?? (shape[a].Symbol is { } sym && dims.TryGetValue(sym, out var v) ? v
                        : dims.TryGetValue($"{input.Name}:{a}", out var w) ? w
                        : throw new ArgumentException($"no size for {input.Name} axis {a}"));
                }
                inputs[input.Name] = input.Type.ElementType switch
                {
                    TensorDataType.Float => Floats(random, concrete),
                    TensorDataType.Int64 => Ints(random, concrete, input.Name, vocab),
                    _ => throw new ArgumentException($"input {input.Name} type {input.Type.ElementType}"),
                };
            }
            samples.Add(new Sample(inputs, null, $"synthetic {s}"));
        }
        return new SampleSet(samples, $"synthetic (seed {seed})", IsSynthetic: true);
    }

    /// <summary>
    /// Synthetic "pages" for the text detector, as its preprocessing normalizes them (ImageNet mean/std): a light
    /// background with dark horizontal strokes grouped into lines, so the detector has something to respond to
    /// (on uniform noise its probability map is ~0 everywhere and any comparison of it is noise).
    /// </summary>
    public static SampleSet SyntheticPages(OnnxModel model, int count, int seed, int height, int width)
    {
        var random = new Random(seed);
        var input = model.Graph.RuntimeInputs.Single().Name;
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var samples = new List<Sample>();
        for (var s = 0; s < count; s++)
        {
            var gray = new float[height * width];
            Array.Fill(gray, 0.95f);
            for (var line = 8; line + 12 < height; line += 24)
            {
                var x = 4 + random.Next(8);
                while (x + 6 < width - 4)
                {
                    var w = 2 + random.Next(5);
                    var top = line + random.Next(3);
                    var bottom = line + 10 + random.Next(3);
                    for (var yy = top; yy < bottom; yy++)
                    {
                        for (var xx = x; xx < x + w; xx++)
                        {
                            gray[(yy * width) + xx] = 0.1f;
                        }
                    }
                    x += w + 1 + random.Next(4);
                }
            }
            var data = new float[3 * height * width];
            for (var c = 0; c < 3; c++)
            {
                for (var i = 0; i < gray.Length; i++)
                {
                    data[(c * gray.Length) + i] = (gray[i] - mean[c]) / std[c];
                }
            }
            samples.Add(new Sample(new Dictionary<string, Tensor> { [input] = Tensor.FromArray(data, [1, 3, height, width]) }, null, $"page {s}"));
        }
        return new SampleSet(samples, $"synthetic pages (seed {seed})", IsSynthetic: true);
    }

    public static int Count(OnnxModel model, string opType) => model.Graph.Nodes.Count(n => n.OpType == opType);

    private static Tensor Floats(Random random, long[] shape)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return Tensor.FromArray(data, shape);
    }

    private static Tensor Ints(Random random, long[] shape, string name, int vocab)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new long[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = name.Contains("mask", StringComparison.Ordinal) ? 1 : name.Contains("type", StringComparison.Ordinal) ? 0 : random.Next(vocab);
        }
        return Tensor.FromArray(data, shape);
    }
}
