using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>
/// One instance's best way to serve the decoder under the SLOs: precision, tensor-parallel degree and replicas, the
/// output tokens per second the instance sustains (with its band), and $ per 1M output tokens. Every figure is predicted.
/// When it does not fit or misses the SLOs, <see cref="Reason"/> says why and the throughput figures are 0.
/// </summary>
public sealed record LlmDeployment
{
    /// <summary>The catalog instance.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Its device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The format served.</summary>
    public required NumericFormat Precision { get; init; }

    /// <summary>Tensor-parallel degree of a replica (0 when nothing fits).</summary>
    public int TensorParallel { get; init; }

    /// <summary>Replicas in one instance.</summary>
    public int Replicas { get; init; }

    /// <summary>USD per hour; null when unpriced.</summary>
    public double? PricePerHour { get; init; }

    /// <summary>Whether the weights and one request's KV cache fit some replica layout.</summary>
    public bool Fits { get; init; }

    /// <summary>Whether some load meets the SLOs.</summary>
    public bool MeetsSlo { get; init; }

    /// <summary>Why it is not feasible; null when it is.</summary>
    public string? Reason { get; init; }

    /// <summary>The replica's simulated run at its highest rate within the SLOs; null when none.</summary>
    public ContinuousBatchingResult? AtCapacity { get; init; }

    /// <summary>Output tokens per second of the whole instance within the SLOs, central.</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>Instance output tokens per second with step times at the slow end of the band.</summary>
    public double TokensPerSecondLow { get; init; }

    /// <summary>Instance output tokens per second with step times at the fast end of the band.</summary>
    public double TokensPerSecondHigh { get; init; }

    /// <summary>Requests per second the instance sustains within the SLOs.</summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>USD per 1M output tokens at the sustained rate; null when unpriced or infeasible.</summary>
    public double? DollarsPerMillionTokens { get; init; }

    /// <summary>USD per 1M output tokens at the fast end of the band.</summary>
    public double? DollarsPerMillionTokensLow { get; init; }

    /// <summary>USD per 1M output tokens at the slow end of the band.</summary>
    public double? DollarsPerMillionTokensHigh { get; init; }

    /// <summary>Instances needed for the requested rate; null without one or when infeasible.</summary>
    public int? InstancesNeeded { get; init; }

    /// <summary>USD per hour for <see cref="InstancesNeeded"/>.</summary>
    public double? HourlyCost { get; init; }

    /// <summary>Weights + one full request's KV cache against a replica's usable memory, for the degree reported.</summary>
    public DecoderMemory? Memory { get; init; }

    /// <summary>In words: the step model, its priors, the simulation.</summary>
    public string Basis { get; init; } = "";

    /// <summary>Whether it can be ranked by cost: fits, meets the SLOs, priced.</summary>
    public bool Ranked => MeetsSlo && DollarsPerMillionTokens is not null;
}
