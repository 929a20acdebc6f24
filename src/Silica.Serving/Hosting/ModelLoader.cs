using Silica.Onnx;
using Silica.Runtime.Backends;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>
/// Turns a catalog version into a <see cref="LoadedVersion"/>: Silica's parser first (so a broken file never reaches
/// native code), then the config, the backend's own check, the probe seam, and the batcher with its sessions.
/// </summary>
internal static class ModelLoader
{
    /// <exception cref="ModelLoadFailure">The version cannot serve; the message says why, in one line.</exception>
    public static LoadedVersion Load(CatalogModel model, CatalogVersion version, ModelServerOptions options, ServingMetrics metrics)
    {
        var problem = model.Problem ?? version.Problem;
        if (problem is not null)
        {
            throw new ModelLoadFailure(problem);
        }
        var onnx = Step(version.Read);
        var config = Step(() => ConfigCompletion.Complete(model.ReadConfig(), onnx));
        var backend = Step(() => options.Backends.Get(config.Backend));
        if (backend.CanRun(onnx) is { IsSupported: false, Reason: var reason })
        {
            throw new ModelLoadFailure($"backend '{backend.Name}' cannot run it: {reason}");
        }
        Step(() =>
        {
            options.Probe.Probe(model.Name, version.Path, onnx, backend.Name);
            return true;
        });
        var sessionOptions = options.Session with { ModelName = model.Name };
        var batcher = Step(() => new DynamicBatcher(() => backend.CreateSession(onnx, sessionOptions), config.Batching, options.Time));
        try
        {
            CheckAgainstSession(config, batcher);
            var stats = metrics.For(model.Name, version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var loaded = new LoadedVersion(model.Name, version.Version, config, batcher, stats);
            stats.Attach(batcher);
            return loaded;
        }
        catch
        {
            batcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    // The backend's view of the tensors is what runs; the graph's declared view is what requests are checked against.
    private static void CheckAgainstSession(ResolvedModelConfig config, DynamicBatcher batcher)
    {
        foreach (var (kind, specs, infos) in new[] { ("input", config.Inputs, batcher.Inputs), ("output", config.Outputs, batcher.Outputs) })
        {
            foreach (var info in infos)
            {
                var spec = specs.FirstOrDefault(s => s.Name == info.Name)
                    ?? throw new ModelLoadFailure($"the backend reports {kind} '{info.Name}', which the model file does not declare");
                if (spec.ElementType != info.ElementType)
                {
                    throw new ModelLoadFailure($"{kind} '{info.Name}' is {OipDatatypes.Display(spec.ElementType)} in the model but {OipDatatypes.Display(info.ElementType)} in the backend");
                }
            }
            if (specs.Count != infos.Count)
            {
                throw new ModelLoadFailure($"the model declares {specs.Count} {kind}(s) but the backend runs {infos.Count}");
            }
        }
    }

    private static T Step<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is OnnxFormatException or ModelConfigException or BackendNotAvailableException or ModelLoadException
            or NotSupportedException or ArgumentException or InferenceException or IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadFailure(e.Message, e);
        }
    }
}

/// <summary>A model version could not be loaded; the message is the reason the repository index shows.</summary>
internal sealed class ModelLoadFailure : Exception
{
    public ModelLoadFailure(string message)
        : base(message)
    {
    }

    public ModelLoadFailure(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ModelLoadFailure()
    {
    }
}
