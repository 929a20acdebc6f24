using System.Collections.Concurrent;
using Silica.Runtime.Backends.Cpu;

namespace Silica.Runtime.Backends;

/// <summary>
/// Backends by name. <see cref="Default"/> holds <c>cpu</c>; other backends (<c>cuda</c>) register a
/// factory, which runs on first use so a missing driver only fails when that backend is asked for.
/// </summary>
public sealed class BackendRegistry
{
    private readonly ConcurrentDictionary<string, Lazy<IBackend>> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _unavailable = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A registry with the built-in backends: <c>cpu</c>, and <c>cuda</c> marked not available yet.</summary>
    public static BackendRegistry Default { get; } = CreateDefault();

    /// <summary>Names of the backends that can be asked for.</summary>
    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Creates a registry with the built-in backends.</summary>
    public static BackendRegistry CreateDefault()
    {
        var r = new BackendRegistry();
        r.Register(CpuBackend.BackendName, static () => new CpuBackend());
        r.Register(Cuda.CudaBackend.BackendName, static () => new Cuda.CudaBackend());
        return r;
    }

    /// <summary>Adds or replaces a backend; <paramref name="factory"/> runs once, on first <see cref="Get"/>.</summary>
    public void Register(string name, Func<IBackend> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _unavailable.TryRemove(name, out _);
        _factories[name] = new Lazy<IBackend>(factory, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Records a backend that exists in principle but cannot be used here, and why.</summary>
    public void RegisterUnavailable(string name, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _factories.TryRemove(name, out _);
        _unavailable[name] = reason;
    }

    /// <summary>The backend named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="BackendNotAvailableException">The backend is unknown, marked unavailable, or failed to start.</exception>
    public IBackend Get(string name)
    {
        if (_unavailable.TryGetValue(name, out var reason))
        {
            throw new BackendNotAvailableException($"backend '{name}' is not available: {reason}");
        }
        if (!_factories.TryGetValue(name, out var lazy))
        {
            throw new BackendNotAvailableException($"unknown backend '{name}' (available: {string.Join(", ", Names)})");
        }
        try
        {
            return lazy.Value;
        }
        catch (Exception e) when (e is not BackendNotAvailableException)
        {
            throw new BackendNotAvailableException($"backend '{name}' failed to start: {e.Message}", e);
        }
    }

    /// <summary>Tries <see cref="Get"/>; false when the backend cannot be had.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IBackend? backend)
    {
        try
        {
            backend = Get(name);
            return true;
        }
        catch (BackendNotAvailableException)
        {
            backend = null;
            return false;
        }
    }
}
