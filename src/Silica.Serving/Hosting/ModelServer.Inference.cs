using System.Diagnostics;
using Silica.Runtime.Backends;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>The request path: find and pin a version, validate, batch, return the requested outputs.</summary>
public sealed partial class ModelServer
{
    /// <inheritdoc/>
    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModelNames.Validate(request.Model);
        long? version = request.Version is null ? null : ModelNames.ParseVersion(request.Version);
        EnterRequest();
        try
        {
            var loaded = Acquire(request.Model, version);
            try
            {
                return await RunAsync(loaded, request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                loaded.Release();
            }
        }
        finally
        {
            LeaveRequest();
        }
    }

    /// <summary>Takes a reference on the version that will serve the request, so it cannot be disposed under it.</summary>
    private LoadedVersion Acquire(string model, long? version)
    {
        while (true)
        {
            var slot = Volatile.Read(ref _snapshot).Models.GetValueOrDefault(model)
                ?? throw new ModelNotFoundException($"unknown model '{model}'");
            VersionSlot chosen;
            if (version is { } n)
            {
                chosen = slot.Find(n) ?? throw new ModelNotFoundException($"model '{model}' has no version {n} (versions: {slot.VersionList})");
                if (chosen.Loaded is null)
                {
                    CountNotReady(model, chosen.Label);
                    throw new ModelNotReadyException($"model '{model}' version {chosen.Label} is not ready: {chosen.State.ToString().ToUpperInvariant()}{(chosen.Reason is null ? "" : " (" + chosen.Reason + ")")}");
                }
            }
            else
            {
                chosen = slot.NewestReady() ?? throw new ModelNotReadyException($"model '{model}' has no ready version: {slot.Describe()}");
            }
            if (chosen.Loaded!.TryAcquire())
            {
                return chosen.Loaded;
            }
            // Retired and drained between reading the snapshot and pinning it: a newer snapshot is already published.
        }
    }

    private async ValueTask<InferenceResult> RunAsync(LoadedVersion loaded, InferenceRequest request, CancellationToken cancellationToken)
    {
        var stats = loaded.Stats;
        var started = _options.Time.GetTimestamp();
        using var activity = ServingTelemetry.ActivitySource.StartActivity("infer");
        if (activity is not null)
        {
            activity.SetTag(ServingTelemetry.RequestIdTag, request.Id);
            activity.SetTag(ServingTelemetry.ModelTag, loaded.Model);
            activity.SetTag(ServingTelemetry.VersionTag, loaded.Label);
        }
        stats.Enter();
        Tensor[]? tensors = null;
        try
        {
            var (inputs, rows, outputs) = RequestValidator.Validate(loaded, request);
            tensors = new Tensor[inputs.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                tensors[i] = Tensor.Rent(inputs[i].ElementType, inputs[i].Shape);
                inputs[i].Data.Span.CopyTo(tensors[i].Bytes);
            }
            using var response = await loaded.Batcher.InferAsync(tensors, cancellationToken).ConfigureAwait(false);
            var result = new NamedTensor[outputs.Length];
            for (var k = 0; k < outputs.Length; k++)
            {
                var t = response.Outputs[outputs[k]];
                result[k] = new NamedTensor(loaded.Outputs[outputs[k]].Name, t.ElementType, t.Shape.ToArray(), t.Bytes.ToArray());
            }
            Metrics.RecordSuccess(stats, rows, response.QueueTime, _options.Time.GetElapsedTime(started), _options.Time.GetUtcNow().ToUnixTimeMilliseconds());
            return new InferenceResult(loaded.Model, loaded.Label, request.Id, result);
        }
        catch (Exception e)
        {
            var (reason, replacement) = Classify(e);
            Metrics.RecordFailure(stats, reason, _options.Time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, (replacement ?? e).Message);
            if (replacement is not null)
            {
                throw replacement;
            }
            throw;
        }
        finally
        {
            if (tensors is not null)
            {
                foreach (var t in tensors)
                {
                    t?.Dispose();
                }
            }
            stats.Leave();
        }
    }

    /// <summary>The failure label, and the contract exception to throw instead when the batcher's differs.</summary>
    private static (FailureReason Reason, Exception? Replacement) Classify(Exception e) => e switch
    {
        InvalidRequestException => (FailureReason.Invalid, null),
        // The batcher's own check (e.g. symbolic dimensions that disagree across inputs) is still a client error.
        InvalidInputException i => (FailureReason.Invalid, new InvalidRequestException(i.Message)),
        QueueFullException => (FailureReason.QueueFull, null),
        QueueTimeoutException => (FailureReason.QueueTimeout, null),
        OperationCanceledException => (FailureReason.Canceled, null),
        // Only reachable if a batcher stops under a pinned version; say so as "not ready" rather than a 500.
        ObjectDisposedException => (FailureReason.NotReady, new ModelNotReadyException("the model is being unloaded")),
        _ => (FailureReason.Backend, null),
    };

    private void CountNotReady(string model, string version)
    {
        if (Metrics.Find(model, version) is { } stats)
        {
            Metrics.RecordFailure(stats, FailureReason.NotReady, TimeSpan.Zero);
        }
    }
}
