using System.Collections.Immutable;
using System.Globalization;
using Silica.Serving.Core;

namespace Silica.Serving.Hosting;

/// <summary>
/// Everything a request needs to find its model version, immutable. The server swaps whole snapshots with
/// <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>, so a request sees either the old or the new state of
/// a load, unload or reload, never a mix.
/// </summary>
internal sealed class ServingSnapshot
{
    public static readonly ServingSnapshot Empty = new(ImmutableSortedDictionary.Create<string, ModelSlot>(StringComparer.Ordinal));

    private ServingSnapshot(ImmutableSortedDictionary<string, ModelSlot> models)
    {
        Models = models;
        // Readiness: every model that was asked to serve (and not explicitly unloaded) has a ready version.
        AllReady = models.Values.All(m => m.Unloaded || m.Versions.Any(v => v.State == ModelState.Ready));
    }

    public ImmutableSortedDictionary<string, ModelSlot> Models { get; }

    public bool AllReady { get; }

    public ServingSnapshot With(ModelSlot slot) => new(Models.SetItem(slot.Name, slot));
}

/// <summary>A model's versions, newest first. <see cref="Unloaded"/>: an operator unloaded it on purpose.</summary>
internal sealed record ModelSlot(string Name, ImmutableArray<VersionSlot> Versions, bool Unloaded)
{
    public VersionSlot? Find(long version)
    {
        foreach (var v in Versions)
        {
            if (v.Version == version)
            {
                return v;
            }
        }
        return null;
    }

    public VersionSlot? NewestReady()
    {
        foreach (var v in Versions)
        {
            if (v.Loaded is not null)
            {
                return v;
            }
        }
        return null;
    }

    public string VersionList => string.Join(", ", Versions.Select(v => v.Label));

    public string Describe() => string.Join("; ", Versions.Select(v => $"version {v.Label} {v.State.ToString().ToUpperInvariant()}{(v.Reason is null ? "" : ": " + v.Reason)}"));
}

/// <summary>One version's state; <see cref="Loaded"/> is set exactly when it is <see cref="ModelState.Ready"/>.</summary>
internal sealed record VersionSlot(long Version, ModelState State, string? Reason, LoadedVersion? Loaded)
{
    public string Label => Version.ToString(CultureInfo.InvariantCulture);
}
