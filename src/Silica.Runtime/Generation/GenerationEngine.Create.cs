using Silica.Onnx;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Serialization;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Generation.KvCache;
using Silica.Runtime.Generation.Tokenization;

namespace Silica.Runtime.Generation;

public sealed partial class GenerationEngine
{
    // Optimum's file names, most capable first: the merged decoder runs both the first step (past 0) and the rest.
    private static readonly string[] DecoderFileNames = ["decoder_model_merged.onnx", "decoder_with_past_model.onnx", "model.onnx"];

    /// <summary>
    /// Loads a decoder and starts an engine over it: <c>zoo:NAME</c> (<c>zoo:llama-tiny</c>, <c>zoo:gpt2</c>), an
    /// Optimum with-past <c>.onnx</c> file, or a folder holding one (with its <c>tokenizer.json</c>). The cache and
    /// context sizes come from the model's decoder metadata (<see cref="DecoderMetadata"/>).
    /// </summary>
    /// <param name="model">The model: <c>zoo:NAME</c>, a file, or a folder.</param>
    /// <param name="options">Cache and scheduling options; defaults when null.</param>
    /// <param name="tokenizer">The tokenizer; null finds it as <see cref="Tokenizers.ForModel"/> does.</param>
    /// <param name="backends">Where to find <see cref="GenerationEngineOptions.Backend"/>; null uses <see cref="BackendRegistry.Default"/>.</param>
    /// <exception cref="ArgumentException">The model is unknown, missing, not a with-past decoder, has no known context length or tokenizer, or an option is out of range.</exception>
    /// <exception cref="ModelLoadException">The backend rejected the model.</exception>
    public static GenerationEngine Create(string model, GenerationEngineOptions? options = null, ITextTokenizer? tokenizer = null, BackendRegistry? backends = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        options ??= new GenerationEngineOptions();
        options.Validate();
        var (path, name, graph) = Resolve(model);
        var info = DecoderMetadata.TryRead(graph)
            ?? throw new ArgumentException($"model '{name}' is not a KV-cache decoder: it needs input_ids and past_key_values.N.key|value inputs (an Optimum with-past export)");
        var contextLength = info.ContextLength ?? options.ContextLength
            ?? throw new ArgumentException($"model '{name}' does not say its context length (metadata {DecoderMetadata.ContextLengthKey}); set GenerationEngineOptions.ContextLength");
        if (contextLength > int.MaxValue)
        {
            throw new ArgumentException($"model '{name}' declares a context length of {contextLength} tokens; set GenerationEngineOptions.ContextLength");
        }
        if (info.KvDataType == TensorDataType.Float)
        {
            // Checked before the session loads, so a wrong size fails in milliseconds rather than after a model load.
            CheckCacheHoldsOneContext(info.KvBytesPerToken, (int)Math.Min(contextLength, options.ContextLength ?? int.MaxValue), options);
        }
        tokenizer ??= Tokenizers.ForModel(model);
        var backend = (backends ?? BackendRegistry.Default).Get(options.Backend);
        var sessionOptions = options.Session with { ModelName = options.ModelName ?? name };
        ISession session;
        if (options.LogitsForLastPositionOnly && WeightBytes(graph) < MaxRewriteBytes && LoadWithWeights(path) is { } full && LastPositionLogits.TryApply(full))
        {
            session = backend.CreateSession(full, sessionOptions);
        }
        else
        {
            session = backend.CreateSession(path, sessionOptions);
        }
        try
        {
            var withEnd = info.EndOfSequenceId is { } eos && tokenizer.EndOfSequenceId is null ? new EndOfSequenceOverride(tokenizer, eos) : tokenizer;
            return new GenerationEngine(session, ownsSession: true, withEnd, (int)contextLength, options with { ModelName = options.ModelName ?? name });
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // A rewritten model reaches the backend as one protobuf, which cannot pass 2 GiB; larger models load from their
    // file unchanged (logits at every new token: correct, only slower to prefill).
    private const long MaxRewriteBytes = 1L << 30;

    private static long WeightBytes(OnnxModel graph)
    {
        long bytes = 0;
        foreach (var v in graph.Graph.Initializers)
        {
            long count = 1;
            foreach (var d in v.Initializer!.Dims)
            {
                count *= d;
            }
            bytes += ((TensorDataType)v.Initializer.DataType).ByteCount(count);
        }
        return bytes;
    }

    // The whole model in memory, to rewrite; null when a file's external data lives elsewhere than the loader can reach.
    private static OnnxModel? LoadWithWeights(string path)
    {
        try
        {
            return OnnxModel.Load(path);
        }
        catch (OnnxFormatException)
        {
            return null;
        }
    }

    private static (string Path, string Name, OnnxModel Graph) Resolve(string model)
    {
        if (ModelSource.IsZoo(model))
        {
            var zooName = model[ModelSource.ZooPrefix.Length..].Trim();
            var info = ModelZoo.Find(zooName) ?? throw new ArgumentException($"unknown zoo model '{zooName}'; known models: {ModelZoo.KnownNames}");
            // The weightless build carries the same graph and metadata, in milliseconds; the session loads the cached file.
            var graph = ModelZoo.Build(info.Name, new ZooBuildOptions { WithWeights = false });
            return (ModelZoo.GetOrCreateFile(info.Name), info.Name, graph);
        }
        var path = model;
        if (Directory.Exists(model))
        {
            path = DecoderFileNames.Select(f => System.IO.Path.Combine(model, f)).FirstOrDefault(File.Exists)
                ?? throw new ArgumentException($"folder '{model}' holds none of {string.Join(", ", DecoderFileNames)}");
        }
        else if (!File.Exists(model))
        {
            throw new ArgumentException(ModelZoo.Find(model) is { } z
                ? $"model file not found: '{model}' (for the built-in model write zoo:{z.Name})"
                : $"model file not found: '{model}'");
        }
        try
        {
            return (path, System.IO.Path.GetFileNameWithoutExtension(path), OnnxModel.Load(path, new OnnxReadOptions { LoadExternalData = false }));
        }
        catch (OnnxFormatException e)
        {
            throw new ArgumentException($"'{path}' is not a valid ONNX model: {e.Message}", e);
        }
    }

    // A tokenizer.json without an end token, under a model whose metadata names one.
    private sealed class EndOfSequenceOverride(ITextTokenizer inner, int endOfSequence) : ITextTokenizer
    {
        public string Source => inner.Source;

        public int? EndOfSequenceId => endOfSequence;

        public IReadOnlyList<int> Encode(string text) => inner.Encode(text);

        public string Decode(IEnumerable<int> ids) => inner.Decode(ids);
    }
}
