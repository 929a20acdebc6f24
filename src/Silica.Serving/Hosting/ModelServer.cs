using System.Collections.Concurrent;
using System.Reflection;
using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Serving.Core;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>
/// Serves the models of a repository (or a single model) behind dynamic batchers: the <see cref="IInferenceServer"/>
/// the REST and gRPC front ends talk to. Requests are validated completely before they join a batch; loads, unloads
/// and reloads swap atomically and let in-flight requests finish on the version they started on.
/// </summary>
/// <remarks>
/// Lifecycle: construct, <see cref="StartAsync"/> (loads every model; failures mark that model FAILED and the
/// server not ready), serve, then <see cref="BeginShutdown"/>, <see cref="DrainAsync"/> and <see cref="DisposeAsync"/>.
/// </remarks>
public sealed partial class ModelServer : IInferenceServer, IAsyncDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly ModelServerOptions _options;
    private readonly ConcurrentDictionary<LoadedVersion, byte> _live = new();
    private ServingSnapshot _snapshot = ServingSnapshot.Empty;
    private volatile bool _started;

    /// <summary>A server for the models of <paramref name="repository"/>; nothing loads until <see cref="StartAsync"/>.</summary>
    public ModelServer(ModelRepository repository, ModelServerOptions? options = null)
        : this(new RepositoryCatalog(repository ?? throw new ArgumentNullException(nameof(repository))), options)
    {
    }

    private ModelServer(ModelCatalog catalog, ModelServerOptions? options)
    {
        _catalog = catalog;
        _options = options ?? new ModelServerOptions();
        Metrics = new ServingMetrics();
        Metadata = new ServerMetadata(_options.ServerName, ServerVersion, _options.Extensions);
    }

    /// <summary>
    /// A server for one model, served as version 1 under <paramref name="name"/> (<c>silica serve model.onnx</c>).
    /// <paramref name="pathOrZoo"/> is a file path or <c>zoo:&lt;name&gt;</c>.
    /// </summary>
    /// <exception cref="InvalidRequestException"><paramref name="name"/> is not a valid model name.</exception>
    /// <exception cref="ArgumentException">The zoo has no such model.</exception>
    public static ModelServer ForModel(string pathOrZoo, string name, ModelConfig? config = null, ModelServerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrZoo);
        ModelNames.Validate(name);
        if (pathOrZoo.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase))
        {
            var zooName = pathOrZoo["zoo:".Length..];
            _ = ModelZoo.Find(zooName) ?? throw new ArgumentException($"the zoo has no model '{zooName}' (known: {ModelZoo.KnownNames})", nameof(pathOrZoo));
            return new ModelServer(new SingleModelCatalog(name, null, () => ModelZoo.Build(zooName), config), options);
        }
        var path = Path.GetFullPath(pathOrZoo);
        return new ModelServer(new SingleModelCatalog(name, path, () => OnnxModel.Load(path), config), options);
    }

    /// <summary>A server for one in-memory model, served as version 1 under <paramref name="name"/>.</summary>
    /// <exception cref="InvalidRequestException"><paramref name="name"/> is not a valid model name.</exception>
    public static ModelServer ForModel(OnnxModel model, string name, ModelConfig? config = null, ModelServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelNames.Validate(name);
        return new ModelServer(new SingleModelCatalog(name, null, () => model, config), options);
    }

    /// <summary>Request counters and histograms; <see cref="ServingMetrics.Render"/> is the body of <c>/metrics</c>.</summary>
    public ServingMetrics Metrics { get; }

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public bool IsReady => _started && !_shuttingDown && Volatile.Read(ref _snapshot).AllReady;

    /// <inheritdoc/>
    public ServerMetadata Metadata { get; }

    /// <summary>Requests being served now, across all models.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Loads every model of the catalog. A model that fails is marked FAILED with its reason; this does not throw for it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var model in _catalog.Scan())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await LoadCoreAsync(model, cancellationToken).ConfigureAwait(false);
        }
        _started = true;
    }

    /// <inheritdoc/>
    public bool IsModelReady(string model, string? version) => Find(model, version) switch
    {
        (_, { } v) => v.State == ModelState.Ready,
        var (slot, _) => slot.NewestReady() is not null,
    };

    /// <inheritdoc/>
    public ModelMetadata GetModelMetadata(string model, string? version)
    {
        var (slot, v) = Find(model, version);
        var loaded = (v ?? slot.NewestReady())?.Loaded
            ?? throw new ModelNotReadyException(v is null ? $"model '{model}' has no ready version ({slot.Describe()})" : $"model '{model}' version {v.Label} is not ready ({v.State.ToString().ToUpperInvariant()})");
        return loaded.Metadata with { Versions = [.. slot.Versions.Select(s => s.Label)] };
    }

    /// <inheritdoc/>
    public IReadOnlyList<ModelIndexEntry> Index(bool readyOnly)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var entries = new List<ModelIndexEntry>();
        foreach (var slot in snapshot.Models.Values)
        {
            entries.AddRange(slot.Versions.Select(v => new ModelIndexEntry(slot.Name, v.Label, v.State, v.Reason)));
        }
        if (!readyOnly)
        {
            // Models added to the repository since start show up as not loaded.
            IReadOnlyList<CatalogModel> catalog;
            try
            {
                catalog = _catalog.Scan();
            }
            catch (IOException)
            {
                catalog = [];
            }
            foreach (var m in catalog.Where(m => !snapshot.Models.ContainsKey(m.Name)))
            {
                entries.AddRange(m.Versions.Select(v => new ModelIndexEntry(m.Name, v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ModelState.Unavailable, null)));
            }
        }
        return readyOnly ? [.. entries.Where(e => e.State == ModelState.Ready)] : entries;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ModelStatistics> Statistics(string? model, string? version)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        IEnumerable<(string Model, VersionSlot Version)> versions;
        if (model is null)
        {
            versions = snapshot.Models.Values.SelectMany(s => s.Versions.Select(v => (s.Name, v)));
        }
        else
        {
            var (slot, v) = Find(model, version);
            versions = v is null ? slot.Versions.Select(x => (slot.Name, x)) : [(slot.Name, v)];
        }
        return [.. versions.Select(x => Metrics.Find(x.Model, x.Version.Label)?.Snapshot() ?? new ModelStatistics(x.Model, x.Version.Label, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))];
    }

    /// <summary>Stops serving: readiness false, waits for in-flight requests (up to 30 s), then disposes every model.</summary>
    public async ValueTask DisposeAsync()
    {
        BeginShutdown();
        await DrainAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        ServingSnapshot old;
        do
        {
            old = Volatile.Read(ref _snapshot);
        }
        while (Interlocked.CompareExchange(ref _snapshot, ServingSnapshot.Empty, old) != old);
        foreach (var slot in old.Models.Values)
        {
            Retire(slot, null);
        }
        await Task.WhenAll(_live.Keys.Select(l => l.Disposed)).ConfigureAwait(false);
        Metrics.Dispose();
    }

    /// <summary>Versions that hold sessions now (ready, or retired and still draining); for leak checks in tests.</summary>
    internal int LiveVersionCount => _live.Count;

    private static string ServerVersion =>
        typeof(ModelServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The model's slot and, when <paramref name="version"/> is given, that version.</summary>
    /// <exception cref="InvalidRequestException">The name or version is malformed.</exception>
    /// <exception cref="ModelNotFoundException">No such model or version.</exception>
    private (ModelSlot Slot, VersionSlot? Version) Find(string model, string? version)
    {
        ModelNames.Validate(model);
        long? number = version is null ? null : ModelNames.ParseVersion(version);
        var slot = Volatile.Read(ref _snapshot).Models.GetValueOrDefault(model)
            ?? throw new ModelNotFoundException($"unknown model '{model}'");
        if (number is not { } n)
        {
            return (slot, null);
        }
        return (slot, slot.Find(n) ?? throw new ModelNotFoundException($"model '{model}' has no version {n} (versions: {slot.VersionList})"));
    }
}
