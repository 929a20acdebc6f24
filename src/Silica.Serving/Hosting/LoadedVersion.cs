using System.Globalization;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>
/// A ready model version: its batcher (which owns the sessions) and the specs requests are checked against.
/// Reference counted: the snapshot that publishes it holds one reference and every request holds one while it
/// runs, so a version swapped out of the snapshot is disposed only when its last in-flight request ends.
/// </summary>
internal sealed class LoadedVersion
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _refs = 1;

    public LoadedVersion(string model, long version, ResolvedModelConfig config, DynamicBatcher batcher, VersionStats stats)
    {
        Model = model;
        Version = version;
        Label = version.ToString(CultureInfo.InvariantCulture);
        Config = config;
        Batcher = batcher;
        Stats = stats;
        // The batcher takes inputs in the session's order and returns outputs in the session's order.
        Inputs = [.. batcher.Inputs.Select(i => config.Inputs.Single(s => s.Name == i.Name))];
        Outputs = [.. batcher.Outputs.Select(o => config.Outputs.Single(s => s.Name == o.Name))];
        Metadata = new ModelMetadata(model, [Label], "onnxruntime_onnx", [.. Inputs.Select(ToMetadata)], [.. Outputs.Select(ToMetadata)]);
    }

    public string Model { get; }

    public long Version { get; }

    public string Label { get; }

    public ResolvedModelConfig Config { get; }

    public DynamicBatcher Batcher { get; }

    public VersionStats Stats { get; }

    /// <summary>Input specs in the batcher's order.</summary>
    public TensorSpec[] Inputs { get; }

    /// <summary>Output specs in the batcher's order.</summary>
    public TensorSpec[] Outputs { get; }

    public ModelMetadata Metadata { get; }

    /// <summary>Completes once the batcher and its sessions are disposed.</summary>
    public Task Disposed => _disposed.Task;

    /// <summary>Takes a reference for one request; false once the version has been retired and drained.</summary>
    public bool TryAcquire()
    {
        var refs = Volatile.Read(ref _refs);
        while (refs > 0)
        {
            var seen = Interlocked.CompareExchange(ref _refs, refs + 1, refs);
            if (seen == refs)
            {
                return true;
            }
            refs = seen;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one disposes the batcher (off the caller's thread).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0)
        {
            _ = Task.Run(DisposeAsync);
        }
    }

    private async Task DisposeAsync()
    {
        try
        {
            Stats.Detach(Batcher);
            await Batcher.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposed.TrySetResult();
        }
    }

    private static TensorMetadata ToMetadata(TensorSpec s) => new(s.Name, OipDatatypes.Display(s.ElementType), s.Dims);
}
