using System.Globalization;
using Silica.Onnx.Graph;
using Silica.Onnx.Serialization;
using Silica.Onnx.Zoo;
using Silica.Runtime.Generation;
using Silica.Serving.Core;
using Silica.Serving.OpenAi;
using Silica.Serving.Repository;

namespace Silica.Cli.Commands.Serve;

/// <summary>
/// <c>silica serve</c> of a KV-cache decoder (<c>zoo:gpt2</c>, <c>zoo:llama-tiny</c>, an Optimum with-past export):
/// a continuous-batching generation engine behind the OpenAI API (<c>/v1/chat/completions</c>, <c>/v1/completions</c>),
/// instead of the Open Inference Protocol's one-shot tensors.
/// </summary>
internal static class ServeDecoder
{
    /// <summary>True when <paramref name="model"/> is a decoder with past key values, which generates rather than infers.</summary>
    public static bool IsDecoder(string model)
    {
        if (ModelSource.IsZoo(model))
        {
            return ModelZoo.Find(model[ModelSource.ZooPrefix.Length..].Trim())?.Family == ZooModelFamily.DecoderWithPast;
        }
        if (Directory.Exists(model))
        {
            return true; // a folder is an Optimum export; the engine names what is missing if it is not
        }
        if (!File.Exists(model))
        {
            return false; // the caller reports the missing file
        }
        return DecoderMetadata.TryRead(OnnxModel.Load(model, new OnnxReadOptions { LoadExternalData = false })) is not null;
    }

    /// <summary>Creates the engine; a model the engine cannot serve is a usage error naming why.</summary>
    public static GenerationEngine CreateEngine(ServeSettings s)
    {
        var model = s.Model!;
        // Served under the name the user typed (zoo:gpt2 answers as "gpt2"), as the Open Inference Protocol path does.
        var name = s.Name ?? (ModelSource.IsZoo(model) ? model[ModelSource.ZooPrefix.Length..].Trim() : Path.GetFileNameWithoutExtension(model.TrimEnd('/')));
        return GenerationEngine.Create(model, Options(s, name));
    }

    /// <summary>
    /// Engines for the repository's decoders: each model whose newest version the server loaded (so its probe process
    /// opened the file first) and whose metadata says KV-cache decoder. One that cannot run as an engine (no
    /// tokenizer, no context length) is reported on <paramref name="log"/> and skipped; the others still serve.
    /// </summary>
    public static async Task<List<GenerationEngine>> RepositoryEnginesAsync(IInferenceServer server, ModelRepository repository, ServeSettings s, TextWriter log)
    {
        var ready = server.Index(readyOnly: true);
        var engines = new List<GenerationEngine>();
        foreach (var model in repository.Scan())
        {
            var loaded = ready.Where(e => e.Name == model.Name).Select(e => e.Version).ToHashSet(StringComparer.Ordinal);
            var version = model.Versions.Where(v => loaded.Contains(v.Version.ToString(CultureInfo.InvariantCulture))).MaxBy(v => v.Version);
            if (version is null || DecoderMetadata.TryRead(OnnxModel.Load(version.ModelPath, new OnnxReadOptions { LoadExternalData = false })) is null)
            {
                continue;
            }
            try
            {
                engines.Add(GenerationEngine.Create(version.ModelPath, Options(s, model.Name)));
            }
            catch (ArgumentException e)
            {
                await log.WriteLineAsync($"silica: model '{model.Name}' is not served over the OpenAI API: {e.Message}").ConfigureAwait(false);
            }
        }
        return engines;
    }

    private static GenerationEngineOptions Options(ServeSettings s, string name) => new()
    {
        ModelName = name,
        Session = new Runtime.Backends.SessionOptions { IntraOpThreads = s.Threads, AllowSpinning = false },
    };
}
