using System.Collections.Immutable;
using Silica.Serving.Core;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>Load, unload and reload as atomic snapshot swaps; graceful drain.</summary>
public sealed partial class ModelServer
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shuttingDown;
    private int _inFlight;

    /// <inheritdoc/>
    public async Task LoadAsync(string model, CancellationToken cancellationToken)
    {
        ModelNames.Validate(model);
        ThrowIfShuttingDown();
        var source = _catalog.Find(model);
        var slot = await LoadCoreAsync(source, cancellationToken).ConfigureAwait(false);
        if (slot.NewestReady() is null)
        {
            throw new InvalidRequestException($"model '{model}' failed to load: {slot.Describe()}");
        }
    }

    /// <inheritdoc/>
    public async Task UnloadAsync(string model, CancellationToken cancellationToken)
    {
        ModelNames.Validate(model);
        if (!Volatile.Read(ref _snapshot).Models.ContainsKey(model))
        {
            // Unloading a model that is in the repository but not loaded is a no-op, as in Triton.
            _catalog.Find(model);
            return;
        }
        var retired = Swap(model, old => old is null
            ? null
            : new ModelSlot(model, [.. old.Versions.Select(v => new VersionSlot(v.Version, ModelState.Unavailable, "unloaded", null))], Unloaded: true));
        // In-flight requests finish on the retired versions; the unload completes when their sessions are released.
        await Task.WhenAll(retired.Select(r => r.Disposed)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Readiness turns false at once and new requests are refused; in-flight requests continue.</summary>
    public void BeginShutdown()
    {
        _shuttingDown = true;
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Waits until no request is in flight; false when <paramref name="timeout"/> ran out first.</summary>
    /// <remarks>Call <see cref="BeginShutdown"/> first, or new requests keep arriving.</remarks>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        if (Volatile.Read(ref _inFlight) == 0)
        {
            return true;
        }
        try
        {
            await _drained.Task.WaitAsync(timeout, _options.Time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return Volatile.Read(ref _inFlight) == 0;
        }
    }

    private async Task<ModelSlot> LoadCoreAsync(CatalogModel source, CancellationToken cancellationToken)
    {
        // Parsing and session creation are CPU-bound and can take seconds; keep them off the caller's thread.
        var versions = await Task.Run(() => LoadVersions(source, cancellationToken), cancellationToken).ConfigureAwait(false);
        var slot = new ModelSlot(source.Name, versions, Unloaded: false);
        if (_shuttingDown)
        {
            foreach (var v in versions)
            {
                v.Loaded?.Release();
            }
            throw new ModelNotReadyException("the server is shutting down");
        }
        Swap(source.Name, _ => slot);
        return slot;
    }

    private ImmutableArray<VersionSlot> LoadVersions(CatalogModel source, CancellationToken cancellationToken)
    {
        if (source.Versions.Count == 0)
        {
            return [new VersionSlot(0, ModelState.Failed, source.Problem ?? "no version folder with a model.onnx", null)];
        }
        var slots = ImmutableArray.CreateBuilder<VersionSlot>(source.Versions.Count);
        foreach (var v in source.Versions)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                foreach (var s in slots)
                {
                    s.Loaded?.Release();
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
            try
            {
                var loaded = ModelLoader.Load(source, v, _options, Metrics);
                _live.TryAdd(loaded, 0);
                _ = loaded.Disposed.ContinueWith(_ => _live.TryRemove(loaded, out byte _), TaskScheduler.Default);
                slots.Add(new VersionSlot(v.Version, ModelState.Ready, null, loaded));
            }
            catch (ModelLoadFailure e)
            {
                slots.Add(new VersionSlot(v.Version, ModelState.Failed, e.Message, null));
            }
        }
        return slots.MoveToImmutable();
    }

    /// <summary>
    /// Replaces a model's slot with <paramref name="update"/>'s result by compare-and-swap (retrying on a concurrent
    /// swap; <paramref name="update"/> must be pure), then retires the versions the new slot no longer holds.
    /// </summary>
    private List<LoadedVersion> Swap(string model, Func<ModelSlot?, ModelSlot?> update)
    {
        while (true)
        {
            var old = Volatile.Read(ref _snapshot);
            var oldSlot = old.Models.GetValueOrDefault(model);
            var newSlot = update(oldSlot);
            if (newSlot is null)
            {
                return [];
            }
            if (Interlocked.CompareExchange(ref _snapshot, old.With(newSlot), old) == old)
            {
                return oldSlot is null ? [] : Retire(oldSlot, newSlot);
            }
        }
    }

    // Only the swap that removed a version from the snapshot retires it, so each snapshot reference is dropped once.
    private static List<LoadedVersion> Retire(ModelSlot oldSlot, ModelSlot? newSlot)
    {
        var retired = new List<LoadedVersion>();
        foreach (var v in oldSlot.Versions)
        {
            if (v.Loaded is { } loaded && newSlot?.Versions.Any(n => n.Loaded == loaded) != true)
            {
                retired.Add(loaded);
                loaded.Release();
            }
        }
        return retired;
    }

    private void ThrowIfShuttingDown()
    {
        if (_shuttingDown)
        {
            throw new ModelNotReadyException("the server is shutting down");
        }
    }

    /// <summary>Counts a request in; refused once shutdown began (checked after counting, so drain cannot miss it).</summary>
    private void EnterRequest()
    {
        Interlocked.Increment(ref _inFlight);
        if (_shuttingDown)
        {
            LeaveRequest();
            throw new ModelNotReadyException("the server is shutting down");
        }
    }

    private void LeaveRequest()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _shuttingDown)
        {
            _drained.TrySetResult();
        }
    }
}
