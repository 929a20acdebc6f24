namespace Silica.Advisor.Results;

/// <summary>
/// Everything <c>silica compare</c> found, as written to <c>results.json</c> and drawn in <c>report.html</c>:
/// the model, the requirement, what was measured here, how the predictor was calibrated, every ranked
/// deployment, the batch curves per target, where the time goes, and the verdicts on claims.
/// </summary>
public sealed record CompareResults
{
    /// <summary>The schema version of this document; readers reject versions they do not know.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>When the comparison ran (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>The model compared.</summary>
    public required ModelInfo Model { get; init; }

    /// <summary>The load and latency target every deployment must meet.</summary>
    public required Requirement Requirement { get; init; }

    /// <summary>What was measured on this machine; null when measuring was skipped.</summary>
    public LocalMeasurement? Local { get; init; }

    /// <summary>How the local device's efficiency factors were fitted; null when nothing was measured.</summary>
    public CalibrationInfo? Calibration { get; init; }

    /// <summary>Every deployment considered, cheapest feasible first; infeasible ones last with their reason.</summary>
    public IReadOnlyList<Deployment> Deployments { get; init; } = [];

    /// <summary>Latency and throughput against batch size, per target and precision.</summary>
    public IReadOnlyList<TargetCurve> Curves { get; init; } = [];

    /// <summary>Predicted time per operator class for a batch, per target and precision.</summary>
    public IReadOnlyList<TimeBreakdown> Breakdowns { get; init; } = [];

    /// <summary>Verdicts on the <c>--claim</c> statements, in the order given.</summary>
    public IReadOnlyList<ClaimVerdict> Claims { get; init; } = [];

    /// <summary>Caveats the reader must see (estimated catalog figures, unpriced local machine...).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>With <c>--precision auto</c>: the accuracy measured per precision here and which were excluded; otherwise null.</summary>
    public AccuracyScreen? Accuracy { get; init; }
}

/// <summary>The model, as <c>silica inspect</c> would describe it.</summary>
/// <param name="Name">Display name (<c>zoo:resnet50</c> or the file name).</param>
/// <param name="Source">Where it came from: zoo name or path as given.</param>
/// <param name="Bindings">Symbolic dimensions bound for the comparison, other than the batch.</param>
/// <param name="FlopsPerSample">FLOPs of one sample (batch 1).</param>
/// <param name="Parameters">Floating-point parameters.</param>
/// <param name="ParameterBytes">Their bytes as stored (FP32 for zoo models).</param>
public sealed record ModelInfo(
    string Name,
    string Source,
    IReadOnlyDictionary<string, long> Bindings,
    double FlopsPerSample,
    long Parameters,
    long ParameterBytes);

/// <summary>What the deployment must do.</summary>
/// <param name="Qps">Requests per second to serve (one sample each).</param>
/// <param name="SloP99Ms">The p99 latency bound, ms, including queueing and batching delay.</param>
/// <param name="Precisions">Number formats considered (<c>fp32</c>, <c>bf16</c>...).</param>
public sealed record Requirement(double Qps, double SloP99Ms, IReadOnlyList<string> Precisions);

/// <summary>A measured batch-latency curve on this machine.</summary>
/// <param name="InstanceId">The catalog id of this machine (<c>local</c>).</param>
/// <param name="Description">CPU model, cores and runtime, e.g. "2 x Intel Xeon ... , ONNX Runtime 1.23 CPU".</param>
/// <param name="Points">Measured points, by batch size.</param>
/// <param name="Seconds">Wall time spent measuring.</param>
public sealed record LocalMeasurement(string InstanceId, string Description, IReadOnlyList<MeasuredPoint> Points, double Seconds);

/// <summary>One measured batch size.</summary>
/// <param name="Batch">Samples per run.</param>
/// <param name="P50Ms">Median latency of one run, ms.</param>
/// <param name="P99Ms">99th percentile latency of one run, ms.</param>
/// <param name="Runs">Runs timed.</param>
public sealed record MeasuredPoint(int Batch, double P50Ms, double P99Ms, int Runs);

/// <summary>The fitted correction of the roofline prior for the local device.</summary>
/// <param name="Factors">Multipliers on the prior time per term (<c>compute</c>, <c>memory</c>, <c>overhead</c>...); 1 means the prior was right.</param>
/// <param name="ResidualPercent">Root-mean-square relative error of the fit over the measured points, %.</param>
/// <param name="Basis">What the fit used, in words.</param>
public sealed record CalibrationInfo(IReadOnlyDictionary<string, double> Factors, double ResidualPercent, string Basis);

/// <summary>
/// One candidate deployment: an instance type, a number format and a batcher setting, with what it costs and
/// how fast it answers at the required load. Figures carry a low/high band; measured rows have a band from the
/// measurement's spread only.
/// </summary>
public sealed record Deployment
{
    /// <summary>1-based rank among feasible deployments by cost; 0 for infeasible ones.</summary>
    public int Rank { get; init; }

    /// <summary>Catalog instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary><c>aws</c>, <c>gcp</c> or <c>local</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Catalog device id.</summary>
    public required string DeviceId { get; init; }

    /// <summary><c>cpu</c>, <c>gpu</c>, <c>inferentia</c>, <c>trainium</c> or <c>tpu</c>.</summary>
    public required string DeviceClass { get; init; }

    /// <summary>Devices (chips, GPUs or cores) in one instance.</summary>
    public int DeviceCount { get; init; }

    /// <summary>Model replicas serving inside one instance (one per accelerator chip; one per CPU instance).</summary>
    public int ReplicasPerInstance { get; init; }

    /// <summary>Number format (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>, <c>fp8</c>, <c>int8</c>).</summary>
    public required string Precision { get; init; }

    /// <summary>Largest batch the batcher forms.</summary>
    public int MaxBatch { get; init; }

    /// <summary>How long the batcher waits for a batch to fill, ms.</summary>
    public double QueueDelayMs { get; init; }

    /// <summary><c>measured</c> (timed on this machine) or <c>predicted</c>.</summary>
    public required string Basis { get; init; }

    /// <summary>What the figures come from, in words (e.g. "roofline, GPU priors (docs/prediction.md), not calibrated").</summary>
    public required string BasisDetail { get; init; }

    /// <summary>False when the deployment cannot meet the requirement; <see cref="Reason"/> says why.</summary>
    public bool Feasible { get; init; }

    /// <summary>Why it is infeasible (memory, SLO below the fastest batch...), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>Instances needed for the required load (central estimate).</summary>
    public int Instances { get; init; }

    /// <summary>Instances needed at the optimistic and pessimistic ends of the band.</summary>
    public int InstancesLow { get; init; }

    /// <summary>Instances needed at the pessimistic end of the band.</summary>
    public int InstancesHigh { get; init; }

    /// <summary>On-demand price of one instance, USD/hour; null when unpriced (the local machine).</summary>
    public double? PricePerHour { get; init; }

    /// <summary>Source and date of the price.</summary>
    public string? PriceSource { get; init; }

    /// <summary>USD per hour for all instances; null when unpriced.</summary>
    public double? HourlyCost { get; init; }

    /// <summary>USD per one million inferences at the required load; null when unpriced.</summary>
    public double? CostPerMillion { get; init; }

    /// <summary>Low end of the cost band.</summary>
    public double? CostPerMillionLow { get; init; }

    /// <summary>High end of the cost band.</summary>
    public double? CostPerMillionHigh { get; init; }

    /// <summary>
    /// USD per one million inferences with every instance loaded to its capacity under the SLO: the unit cost that
    /// vendor claims quote, free of rounding up to whole instances; null when unpriced.
    /// </summary>
    public double? CostPerMillionAtCapacity { get; init; }

    /// <summary>Low end of the at-capacity cost band (fast end of the latency band).</summary>
    public double? CostPerMillionAtCapacityLow { get; init; }

    /// <summary>High end of the at-capacity cost band; null when the slow end serves nothing under the SLO.</summary>
    public double? CostPerMillionAtCapacityHigh { get; init; }

    /// <summary>Simulated p99 latency at the required load per replica, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>Low end of the p99 band, ms.</summary>
    public double P99LowMs { get; init; }

    /// <summary>High end of the p99 band, ms.</summary>
    public double P99HighMs { get; init; }

    /// <summary>Highest load one instance serves under the SLO, requests/s (central).</summary>
    public double CapacityQpsPerInstance { get; init; }

    /// <summary>Capacity per instance at the slow end of the band (requests/s).</summary>
    public double CapacityQpsPerInstanceLow { get; init; }

    /// <summary>Capacity per instance at the fast end of the band (requests/s).</summary>
    public double CapacityQpsPerInstanceHigh { get; init; }

    /// <summary>Energy per inference at the required load, joules; null when the device's power is unpublished.</summary>
    public double? JoulesPerInference { get; init; }

    /// <summary>How the energy was obtained (e.g. "board power 72 W x utilization, predicted").</summary>
    public string? EnergyBasis { get; init; }

    /// <summary>Whether no other feasible deployment is both cheaper and lower in p99.</summary>
    public bool OnParetoFront { get; init; }
}

/// <summary>Latency against batch size on one target at one precision.</summary>
/// <param name="InstanceId">Catalog instance id.</param>
/// <param name="Precision">Number format.</param>
/// <param name="Basis"><c>measured</c> or <c>predicted</c>.</param>
/// <param name="Points">One per batch size.</param>
public sealed record TargetCurve(string InstanceId, string Precision, string Basis, IReadOnlyList<CurvePoint> Points);

/// <summary>One batch size on a <see cref="TargetCurve"/>.</summary>
/// <param name="Batch">Samples per run.</param>
/// <param name="LatencyMs">Latency of one run on one replica, ms (central).</param>
/// <param name="LatencyLowMs">Low end of the band, ms.</param>
/// <param name="LatencyHighMs">High end of the band, ms.</param>
/// <param name="InstanceSamplesPerSecond">Samples per second with every replica in the instance busy at this batch.</param>
public sealed record CurvePoint(int Batch, double LatencyMs, double LatencyLowMs, double LatencyHighMs, double InstanceSamplesPerSecond);

/// <summary>Predicted time per operator class for one run of one batch.</summary>
/// <param name="InstanceId">Catalog instance id.</param>
/// <param name="Precision">Number format.</param>
/// <param name="Batch">Batch size the breakdown is for.</param>
/// <param name="MsByOpClass">Milliseconds per operator class (<c>gemm</c>, <c>conv</c>...), plus <c>overhead</c> for per-kernel launch cost.</param>
public sealed record TimeBreakdown(string InstanceId, string Precision, int Batch, IReadOnlyDictionary<string, double> MsByOpClass);

/// <summary>The answer to one <c>--claim</c>.</summary>
/// <param name="Claim">The claim as the user wrote it.</param>
/// <param name="Verdict"><c>yes</c>, <c>no</c> or <c>uncertain</c>.</param>
/// <param name="Ratio">The measured-or-predicted ratio the claim is about (e.g. cost of A / cost of B).</param>
/// <param name="RatioLow">Low end of its band.</param>
/// <param name="RatioHigh">High end of its band.</param>
/// <param name="Threshold">The ratio the claim asserts (0.5 for "halves cost").</param>
/// <param name="Explanation">One sentence: which deployments were compared and why the verdict.</param>
public sealed record ClaimVerdict(string Claim, string Verdict, double Ratio, double RatioLow, double RatioHigh, double Threshold, string Explanation);
