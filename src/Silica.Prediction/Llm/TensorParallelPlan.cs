using Silica.Hardware;
using Silica.Prediction.Priors;

namespace Silica.Prediction.Llm;

/// <summary>One way to serve a decoder on an instance: a tensor-parallel degree, its step model and its memory need.</summary>
/// <param name="Model">The step model on a replica of that degree.</param>
/// <param name="Memory">Weights plus the KV cache asked for, against the replica's usable memory.</param>
public sealed record TensorParallelPlan(DecoderStepModel Model, DecoderMemory Memory)
{
    /// <summary>The tensor-parallel degree.</summary>
    public int Degree => Model.Replica.TensorParallel;

    /// <summary>
    /// Every degree that can serve <paramref name="shape"/> on <paramref name="instance"/>, smallest first: divisors of the
    /// device count that split the attention heads evenly, above 1 only where the catalog gives the interconnect's
    /// bandwidth. CPU instances have one plan (all cores, degree 1). Each plan's memory is checked against
    /// <paramref name="cachedTokens"/> tokens held at once.
    /// </summary>
    /// <exception cref="NotSupportedException">The device has no peak for the format, or no memory bandwidth.</exception>
    public static IReadOnlyList<TensorParallelPlan> Candidates(DecoderShape shape, InstanceOffer instance, DeviceSpec device,
        NumericFormat precision, long cachedTokens, PriorTable? priors = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(device);
        var count = Math.Max(1, instance.DeviceCount);
        var degrees = device.Class == DeviceClass.Cpu
            ? [1]
            : Enumerable.Range(1, count).Where(t => count % t == 0 && shape.Heads % t == 0
                && (t == 1 || device.Interconnect?.BandwidthGBps is not null)).ToList();
        var plans = new List<TensorParallelPlan>(degrees.Count);
        foreach (var t in degrees)
        {
            var model = new DecoderStepModel(shape, DecoderReplica.Create(instance, device, precision, t, priors));
            plans.Add(new TensorParallelPlan(model, DecoderMemory.For(model, cachedTokens)));
        }
        return plans;
    }

    /// <summary>The smallest degree whose memory fits (most replicas per instance), or null when none does.</summary>
    public static TensorParallelPlan? SmallestFitting(IReadOnlyList<TensorParallelPlan> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates.FirstOrDefault(p => p.Memory.Fits);
    }
}
