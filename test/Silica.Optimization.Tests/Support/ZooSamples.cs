using System.Collections.Concurrent;
using Silica.Onnx.Graph;

namespace Silica.Optimization.Tests.Support;

/// <summary>A zoo model's bytes, its test inputs and its FP32 outputs under ONNX Runtime.</summary>
internal sealed record ZooSample(string Name, byte[] Bytes, IReadOnlyDictionary<string, long> Dims, IReadOnlyList<OrtInput> Inputs, IReadOnlyList<OrtOutput> Reference)
{
    /// <summary>A fresh copy of the model to rewrite.</summary>
    public OnnxModel Load() => OnnxModel.Load(Bytes);
}

/// <summary>
/// Builds each zoo model and runs its FP32 reference once per test run: the pass, FP16 and BF16 tests of a
/// model share them (building BERT or GPT-2 and loading it into ONNX Runtime takes seconds each time).
/// Encoders and prefill graphs run at batch 1, sequence 16; KV-cache decoders a 16-token step after 4 cached
/// tokens; the others at batch 1.
/// </summary>
internal static class ZooSamples
{
    private static readonly ConcurrentDictionary<string, Lazy<ZooSample>> Cache = new(StringComparer.Ordinal);

    public static ZooSample Get(string name) => Cache.GetOrAdd(name, n => new Lazy<ZooSample>(() => Create(n))).Value;

    public static IReadOnlyDictionary<string, long> DimsFor(string name) =>
        name.StartsWith("bert", StringComparison.Ordinal) || name.EndsWith("-prefill", StringComparison.Ordinal)
            ? new Dictionary<string, long> { ["batch"] = 1, ["seq"] = 16 }
            : name.StartsWith("gpt2", StringComparison.Ordinal) || name.StartsWith("llama", StringComparison.Ordinal)
                ? new Dictionary<string, long> { ["batch"] = 1, ["seq"] = 16, ["past_seq"] = 4, ["total_seq"] = 20 } // a decode step after a 4-token prefix
                : new Dictionary<string, long> { ["batch"] = 1 };

    private static ZooSample Create(string name)
    {
        var model = OrtCompare.Zoo(name);
        var dims = DimsFor(name);
        var inputs = OrtCompare.InputsFor(model, dims, vocab: 1000);
        var bytes = model.ToBytes();
        return new ZooSample(name, bytes, dims, inputs, OrtCompare.Run(bytes, inputs));
    }
}
