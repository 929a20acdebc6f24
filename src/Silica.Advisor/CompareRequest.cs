using Silica.Advisor.Measurement;
using Silica.Advisor.Results;
using Silica.Hardware;

namespace Silica.Advisor;

/// <summary>What <c>silica compare</c> is asked: the model, the load and latency target, and where to look.</summary>
public sealed record CompareRequest
{
    /// <summary>The model to compare.</summary>
    public required ModelInput Model { get; init; }

    /// <summary>The catalog of targets.</summary>
    public required Catalog Catalog { get; init; }

    /// <summary>Requests per second to serve, one sample each.</summary>
    public double Qps { get; init; } = 200;

    /// <summary>The p99 latency bound, queueing and batching included.</summary>
    public TimeSpan SloP99 { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Instance ids or id prefixes to consider (<c>inf2</c>, <c>g6.xlarge</c>); empty: every instance.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Number formats to consider, each where the device supports it.</summary>
    public IReadOnlyList<NumericFormat> Precisions { get; init; } = [NumericFormat.Fp32, NumericFormat.Bf16, NumericFormat.Fp16];

    /// <summary>Batch sizes the batcher may use as its maximum.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>Time to spend measuring the model on this machine; zero skips measuring (everything predicted).</summary>
    public TimeSpan MeasureBudget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Price per hour to charge for this machine, to rank it among cloud offers; null leaves it unpriced.</summary>
    public double? LocalPricePerHour { get; init; }

    /// <summary>
    /// With <c>--precision auto</c>: the accuracy gate's results, measured by the caller (the advisor does not convert
    /// models); <see cref="Precisions"/> then holds only the formats that passed. Copied into the results.
    /// </summary>
    public AccuracyScreen? AccuracyScreen { get; init; }

    /// <summary>Vendor claims to check, e.g. "inf2 halves cost vs g5".</summary>
    public IReadOnlyList<string> Claims { get; init; } = [];

    /// <summary>Checks the request; throws a one-line message naming the problem.</summary>
    /// <exception cref="ArgumentException">A value is out of range or a target matches nothing.</exception>
    public void Validate()
    {
        if (!(Qps > 0) || !double.IsFinite(Qps))
        {
            throw new ArgumentException($"--qps must be a positive rate (got {Qps})");
        }
        if (SloP99 <= TimeSpan.Zero)
        {
            throw new ArgumentException("--slo-p99 must be a positive duration");
        }
        if (Precisions.Count == 0)
        {
            throw new ArgumentException("--precision needs at least one format");
        }
        if (MeasureBudget < TimeSpan.Zero)
        {
            throw new ArgumentException("--measure-budget must not be negative");
        }
        if (LocalPricePerHour is < 0)
        {
            throw new ArgumentException("--local-price must not be negative");
        }
        foreach (var t in Targets)
        {
            if (!Catalog.Instances.Any(i => Matches(i, t)))
            {
                throw new ArgumentException($"unknown target '{t}': no instance id starts with it (see 'silica catalog')");
            }
        }
    }

    /// <summary>The instances selected by <see cref="Targets"/>.</summary>
    public IEnumerable<InstanceOffer> SelectedInstances() =>
        Targets.Count == 0 ? Catalog.Instances : Catalog.Instances.Where(i => Targets.Any(t => Matches(i, t)));

    /// <summary>Whether an instance is named by a target: its id, an id prefix up to a dot (<c>inf2</c>), or its device id.</summary>
    public static bool Matches(InstanceOffer instance, string target)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(target);
        return instance.Id.Equals(target, StringComparison.OrdinalIgnoreCase)
            || instance.Id.StartsWith(target + ".", StringComparison.OrdinalIgnoreCase)
            || instance.Id.StartsWith(target + "-", StringComparison.OrdinalIgnoreCase)
            || instance.DeviceId.Equals(target, StringComparison.OrdinalIgnoreCase);
    }
}
