using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Hosting;

namespace Silica.Serving.Repository;

/// <summary>Completes a <see cref="ModelConfig"/> from the model and checks the two agree.</summary>
internal static class ConfigCompletion
{
    private const int DefaultMaxBatchSize = 8;
    private const int MaxInstances = 64;

    /// <exception cref="ModelConfigException">A field is out of range or contradicts the model.</exception>
    public static ResolvedModelConfig Complete(ModelConfig? config, OnnxModel model)
    {
        config ??= new ModelConfig();
        var inputs = Apply("input", Specs(model.Graph.RuntimeInputs, "input"), config.Input);
        var outputs = Apply("output", Specs(model.Graph.Outputs, "output"), config.Output);
        var backend = config.Backend ?? "cpu";
        if (backend.Length == 0)
        {
            throw new ModelConfigException($"{ModelRepository.ConfigFileName}: backend must not be empty");
        }
        var maxBatch = config.MaxBatchSize ?? FixedBatch(inputs) ?? DefaultMaxBatchSize;
        var defaults = new BatcherOptions();
        var batching = new BatcherOptions
        {
            MaxBatchSize = maxBatch,
            PreferredBatchSizes = config.PreferredBatchSize ?? [],
            // Dispatch at once by default (Triton's default too): at low load the batcher adds no latency, and under
            // load batches form while the instances are busy.
            MaxQueueDelay = Microseconds(config.MaxQueueDelayMicroseconds ?? 0, "max_queue_delay_microseconds", allowZero: true),
            MaxQueueSize = config.MaxQueueSize ?? defaults.MaxQueueSize,
            QueueTimeout = config.QueueTimeoutMicroseconds is { } t ? Microseconds(t, "queue_timeout_microseconds", allowZero: false) : defaults.QueueTimeout,
            InstanceCount = config.InstanceCount ?? 1,
        };
        if (batching.InstanceCount > MaxInstances)
        {
            throw new ModelConfigException($"{ModelRepository.ConfigFileName}: instance_count {batching.InstanceCount} is over the limit of {MaxInstances}");
        }
        try
        {
            batching.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelConfigException($"{ModelRepository.ConfigFileName}: {ToConfigNames(e.Message)}", e);
        }
        return new ResolvedModelConfig(backend, batching, inputs, outputs);
    }

    private static List<TensorSpec> Specs(IEnumerable<Value> values, string kind)
    {
        var specs = new List<TensorSpec>();
        foreach (var v in values)
        {
            if (v.Type?.Shape is not { } shape)
            {
                throw new ModelConfigException($"model {kind} '{v.Name}' declares no shape; add it to {ModelRepository.ConfigFileName}'s '{kind}' list");
            }
            specs.Add(new TensorSpec(v.Name, v.Type.ElementType, [.. shape.Select(d => d.Value ?? -1)]));
        }
        return specs;
    }

    private static List<TensorSpec> Apply(string kind, List<TensorSpec> specs, IReadOnlyList<TensorOverride>? overrides)
    {
        if (overrides is null)
        {
            return specs;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in overrides)
        {
            if (!seen.Add(o.Name))
            {
                throw new ModelConfigException($"{ModelRepository.ConfigFileName}: {kind} '{o.Name}' is listed twice");
            }
            var index = specs.FindIndex(s => s.Name == o.Name);
            if (index < 0)
            {
                throw new ModelConfigException(
                    $"{ModelRepository.ConfigFileName}: {kind} '{o.Name}' is not a model {kind} (the model has: {string.Join(", ", specs.Select(s => s.Name))})");
            }
            var spec = specs[index];
            if (o.Datatype is { } dt)
            {
                if (!OipDatatypes.TryParse(dt, out var type))
                {
                    throw new ModelConfigException($"{ModelRepository.ConfigFileName}: {kind} '{o.Name}' has unknown datatype '{dt}' (one of {OipDatatypes.AllNames})");
                }
                if (type != spec.ElementType)
                {
                    throw new ModelConfigException(
                        $"{ModelRepository.ConfigFileName}: {kind} '{o.Name}' is {dt} but the model's is {OipDatatypes.Display(spec.ElementType)}; the server does not convert types");
                }
            }
            if (o.Dims is { } dims)
            {
                specs[index] = spec with { Dims = Narrow(kind, spec, dims) };
            }
        }
        return specs;
    }

    private static long[] Narrow(string kind, TensorSpec spec, IReadOnlyList<long> dims)
    {
        if (dims.Count != spec.Dims.Length)
        {
            throw new ModelConfigException(
                $"{ModelRepository.ConfigFileName}: {kind} '{spec.Name}' dims {Format(dims)} have rank {dims.Count}; the model's shape {Format(spec.Dims)} has rank {spec.Dims.Length}");
        }
        var result = new long[dims.Count];
        for (var i = 0; i < dims.Count; i++)
        {
            var d = dims[i];
            if (d < -1)
            {
                throw new ModelConfigException($"{ModelRepository.ConfigFileName}: {kind} '{spec.Name}' dimension {i} is {d}; use -1 for any size");
            }
            if (spec.Dims[i] >= 0 && d >= 0 && d != spec.Dims[i])
            {
                throw new ModelConfigException(
                    $"{ModelRepository.ConfigFileName}: {kind} '{spec.Name}' dimension {i} is {d} but the model fixes it at {spec.Dims[i]}");
            }
            result[i] = d >= 0 ? d : spec.Dims[i];
        }
        return result;
    }

    private static int? FixedBatch(IReadOnlyList<TensorSpec> inputs)
    {
        foreach (var s in inputs)
        {
            if (s.Dims.Length > 0 && s.Dims[0] > 0)
            {
                return (int)Math.Min(s.Dims[0], int.MaxValue);
            }
        }
        return null;
    }

    private static TimeSpan Microseconds(long value, string field, bool allowZero)
    {
        // TimeSpan holds ±29 000 years; a day is already absurd for a queue.
        if (value < 0 || (!allowZero && value == 0) || value > TimeSpan.FromDays(1).Ticks / 10)
        {
            throw new ModelConfigException($"{ModelRepository.ConfigFileName}: {field} is {value}; it must be {(allowZero ? "0" : "1")} to 86400000000");
        }
        return TimeSpan.FromMicroseconds(value);
    }

    private static string ToConfigNames(string message) => message
        .Replace("MaxBatchSize", "max_batch_size", StringComparison.Ordinal)
        .Replace("MaxQueueSize", "max_queue_size", StringComparison.Ordinal)
        .Replace("InstanceCount", "instance_count", StringComparison.Ordinal)
        .Replace("preferred batch size", "preferred_batch_size", StringComparison.Ordinal);

    private static string Format(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";
}
