using System.Text.Json.Serialization;

namespace Silica.Serving.Repository;

/// <summary>
/// A model's <c>config.json</c>. Every field is optional; what is absent is completed from the model (its inputs,
/// outputs and batch dimension) and the batcher's defaults. Shapes are full shapes, batch dimension included
/// (<c>-1</c> for a dynamic dimension), as the protocol's metadata reports them.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The backend that runs the model (<c>cpu</c> by default).</summary>
    [JsonPropertyName("backend")]
    public string? Backend { get; init; }

    /// <summary>Most rows one batch (and one request) may hold.</summary>
    [JsonPropertyName("max_batch_size")]
    public int? MaxBatchSize { get; init; }

    /// <summary>Batch sizes the batcher pads to and dispatches at.</summary>
    [JsonPropertyName("preferred_batch_size")]
    public IReadOnlyList<int>? PreferredBatchSize { get; init; }

    /// <summary>How long the oldest queued request waits for others to join its batch (0: dispatch at once).</summary>
    [JsonPropertyName("max_queue_delay_microseconds")]
    public long? MaxQueueDelayMicroseconds { get; init; }

    /// <summary>Most requests queued at once; more are refused with a retry hint.</summary>
    [JsonPropertyName("max_queue_size")]
    public int? MaxQueueSize { get; init; }

    /// <summary>A request queued longer than this is rejected without running.</summary>
    [JsonPropertyName("queue_timeout_microseconds")]
    public long? QueueTimeoutMicroseconds { get; init; }

    /// <summary>Sessions running batches in parallel.</summary>
    [JsonPropertyName("instance_count")]
    public int? InstanceCount { get; init; }

    /// <summary>Input overrides: a stricter shape than the model declares; the datatype must equal the model's.</summary>
    [JsonPropertyName("input")]
    public IReadOnlyList<TensorOverride>? Input { get; init; }

    /// <summary>Output overrides, as for inputs.</summary>
    [JsonPropertyName("output")]
    public IReadOnlyList<TensorOverride>? Output { get; init; }
}

/// <summary>An input or output entry of <see cref="ModelConfig"/>.</summary>
public sealed record TensorOverride
{
    /// <summary>The model's tensor name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The protocol datatype (<c>FP32</c>…); must equal the model's.</summary>
    [JsonPropertyName("datatype")]
    public string? Datatype { get; init; }

    /// <summary>The full shape; <c>-1</c> keeps the model's dimension, a number fixes a dynamic one.</summary>
    [JsonPropertyName("dims")]
    public IReadOnlyList<long>? Dims { get; init; }
}
