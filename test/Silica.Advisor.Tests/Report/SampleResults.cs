using Silica.Advisor.Results;

namespace Silica.Advisor.Tests.Report;

/// <summary>
/// A hand-built comparison of ResNet-50 at 1,000 req/s under a 50 ms p99 SLO: six feasible deployments across
/// CPU, GPU, Inferentia and TPU (one of them the measured, unpriced local machine), one infeasible, three
/// curves, two breakdowns and one claim. Figures are plausible, not real.
/// </summary>
internal static class SampleResults
{
    /// <summary>Deployments on the Pareto front of the sample, by instance id.</summary>
    public static readonly string[] ParetoInstances = ["inf2.xlarge", "g5.xlarge", "g6.xlarge"];

    /// <summary>Set to a folder to have <see cref="DumpIfAsked"/> write the rendered samples there, to look at them.</summary>
    public const string DumpVariable = "SILICA_REPORT_SAMPLE";

    public static CompareResults Create() => new()
    {
        CreatedUtc = new DateTimeOffset(2025, 6, 1, 14, 3, 0, TimeSpan.Zero),
        Model = new ModelInfo(
            "zoo:resnet50", "zoo:resnet50 (ONNX model zoo, opset 17)", new Dictionary<string, long>(), 4.09e9, 25_557_032, 102_228_128),
        Requirement = new Requirement(1000, 50, ["fp32", "bf16", "fp16", "fp8"]),
        Local = new LocalMeasurement(
            "local",
            "2 x Intel Xeon Platinum 8375C (2 cores), ONNX Runtime 1.23 CPU",
            [
                new MeasuredPoint(1, 28.0, 30.4, 200),
                new MeasuredPoint(2, 50.1, 54.0, 120),
                new MeasuredPoint(4, 95.8, 101.9, 60),
                new MeasuredPoint(8, 188.0, 197.5, 30),
                new MeasuredPoint(16, 372.1, 390.2, 15),
            ],
            42.5),
        Calibration = new CalibrationInfo(
            new Dictionary<string, double> { ["compute"] = 1.31, ["memory"] = 0.92, ["overhead"] = 1.8 },
            6.4,
            "Least squares over 5 measured batch sizes of the local CPU"),
        Deployments =
        [
            Deployment(1, "inf2.xlarge", "aws", "inferentia2", "inferentia", "bf16", 16, 4, 2, 0.7582, 0.21, 24, pareto: true),
            Deployment(2, "g5.xlarge", "aws", "a10g", "gpu", "fp16", 32, 3, 2, 1.006, 0.28, 11, pareto: true),
            Deployment(3, "ct5lp-hightpu-1t", "gcp", "tpu-v5e", "tpu", "bf16", 32, 4, 1, 1.20, 0.33, 16, pareto: false),
            Deployment(4, "g6.xlarge", "aws", "l4", "gpu", "fp8", 32, 2, 2, 0.8048, 0.45, 7.5, pareto: true),
            Deployment(5, "c7i.8xlarge", "aws", "sapphire-rapids-32v", "cpu", "fp32", 8, 5, 5, 1.428, 1.9, 38, pareto: false),
            Deployment(6, "local", "local", "xeon-8375c-2c", "cpu", "fp32", 1, 0, 28, null, null, 30.4, pareto: false) with
            {
                Basis = "measured",
                BasisDetail = "timed on this machine, 200 runs at batch 1",
                PriceSource = null,
                JoulesPerInference = null,
                EnergyBasis = null,
            },
            Deployment(0, "c7i.large", "aws", "sapphire-rapids-2v", "cpu", "fp32", 1, 0, 0, 0.0893, null, 62, pareto: false) with
            {
                Feasible = false,
                Reason = "p99 at the fastest batch (62 ms) exceeds the 50 ms SLO",
                CostPerMillionLow = null,
                CostPerMillionHigh = null,
                HourlyCost = null,
            },
        ],
        Curves =
        [
            Curve("local", "fp32", "measured", (1, 28.0), (2, 50.1), (4, 95.8), (8, 188.0), (16, 372.1)),
            Curve("g5.xlarge", "fp16", "predicted", (1, 2.1), (2, 2.6), (4, 3.4), (8, 5.1), (16, 8.7), (32, 16.2), (64, 31.5)),
            Curve("inf2.xlarge", "bf16", "predicted", (1, 3.0), (2, 3.6), (4, 4.8), (8, 7.4), (16, 12.6), (32, 24.0), (64, 47.0)),
        ],
        Breakdowns =
        [
            new TimeBreakdown("g5.xlarge", "fp16", 32, new Dictionary<string, double>
            {
                ["conv"] = 11.2, ["gemm"] = 0.4, ["elementwise"] = 2.1, ["pool"] = 0.6, ["overhead"] = 1.9,
            }),
            new TimeBreakdown("inf2.xlarge", "bf16", 16, new Dictionary<string, double>
            {
                ["conv"] = 8.1, ["gemm"] = 0.3, ["elementwise"] = 1.7, ["pool"] = 0.4, ["overhead"] = 2.1,
            }),
        ],
        Claims =
        [
            new ClaimVerdict(
                "inf2.xlarge halves cost vs g5.xlarge",
                "no",
                0.75,
                0.61,
                0.93,
                0.5,
                "inf2.xlarge bf16 costs $0.21 per 1M against $0.28 for g5.xlarge fp16: 0.75x, and even the optimistic end (0.61x) is above 0.5x."),
        ],
        Notes =
        [
            "TPU v5e prices are GCP list prices for us-central1 on 2025-05-01.",
            "The local machine is unpriced; it is ranked last among feasible deployments.",
        ],
    };

    /// <summary>A deployment with bands of ±15% around its central figures.</summary>
    public static Deployment Deployment(
        int rank, string id, string provider, string device, string deviceClass, string precision, int maxBatch, double delayMs,
        int instances, double? price, double? costPerMillion, double p99Ms, bool pareto) => new()
        {
            Rank = rank,
            InstanceId = id,
            Provider = provider,
            DeviceId = device,
            DeviceClass = deviceClass,
            DeviceCount = 1,
            ReplicasPerInstance = 1,
            Precision = precision,
            MaxBatch = maxBatch,
            QueueDelayMs = delayMs,
            Basis = "predicted",
            BasisDetail = "roofline, " + deviceClass + " priors (docs/prediction.md), not calibrated",
            Feasible = true,
            Instances = instances,
            InstancesLow = Math.Max(1, instances - 1),
            InstancesHigh = instances + 1,
            PricePerHour = price,
            PriceSource = "aws on-demand us-east-1, 2025-05-01",
            HourlyCost = price * instances,
            CostPerMillion = costPerMillion,
            CostPerMillionLow = costPerMillion * 0.85,
            CostPerMillionHigh = costPerMillion * 1.2,
            P99Ms = p99Ms,
            P99LowMs = p99Ms * 0.85,
            P99HighMs = p99Ms * 1.2,
            CapacityQpsPerInstance = 1000.0 / Math.Max(1, instances) * 1.15,
            JoulesPerInference = 0.08,
            EnergyBasis = "board power x utilization, predicted",
            OnParetoFront = pareto,
        };

    /// <summary>A one-replica curve with a ±12% latency band.</summary>
    public static TargetCurve Curve(string id, string precision, string basis, params (int Batch, double Ms)[] points) =>
        new(id, precision, basis, points.Select(p => new CurvePoint(p.Batch, p.Ms, p.Ms * 0.88, p.Ms * 1.12, p.Batch * 1000.0 / p.Ms)).ToList());

    /// <summary>
    /// A large comparison: 40 deployments over six device families and five precisions with costs over two
    /// decades, the Pareto front computed from them, 16 curves to 128 and 14 breakdowns. Deterministic.
    /// </summary>
    public static CompareResults Large()
    {
        var rng = new Random(7);
        (string Class, string Family, string Device)[] families =
        [
            ("cpu", "c7i", "sapphire-rapids"), ("gpu", "g5", "a10g"), ("gpu", "g6", "l4"),
            ("inferentia", "inf2", "inferentia2"), ("tpu", "ct5lp-hightpu", "tpu-v5e"), ("trainium", "trn1", "trainium1"),
        ];
        string[] precisions = ["fp32", "bf16", "fp16", "fp8", "int8"];
        string[] sizes = ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "24xlarge"];

        var drafts = Enumerable.Range(0, 40).Select(i =>
        {
            var (cls, family, device) = families[i % families.Length];
            var id = family + "." + sizes[(i / families.Length) % sizes.Length];
            var cost = 0.08 * Math.Pow(10, rng.NextDouble() * 2.2);
            var p99 = 3 + (rng.NextDouble() * 44);
            return Deployment(0, id, cls == "tpu" ? "gcp" : "aws", device, cls, precisions[i % precisions.Length], 1 << rng.Next(0, 8),
                rng.Next(0, 9), 1 + rng.Next(0, 12), 0.5 + (rng.NextDouble() * 20), cost, p99, pareto: false);
        }).OrderBy(d => d.CostPerMillion).ToList();

        var deployments = drafts.Select((d, i) => d with
        {
            Rank = i + 1,
            OnParetoFront = !drafts.Any(o => o != d && o.CostPerMillion <= d.CostPerMillion && o.P99Ms < d.P99Ms),
        }).ToList();

        var curves = deployments.Take(16).Select((d, i) => Curve(d.InstanceId, d.Precision, i == 3 ? "measured" : "predicted",
            [.. Enumerable.Range(0, 8).Select(k => (1 << k, 1.5 + (i * 0.8) + ((1 << k) * (0.2 + (i * 0.05)))))])).ToList();

        string[] ops = ["conv", "gemm", "attention", "elementwise", "norm", "softmax", "pool", "overhead"];
        var breakdowns = deployments.Take(14).Select(d => new TimeBreakdown(d.InstanceId, d.Precision, d.MaxBatch,
            ops.Where(_ => rng.NextDouble() > 0.2).ToDictionary(op => op, _ => Math.Round(rng.NextDouble() * 8, 2)))).ToList();

        return Create() with { Deployments = deployments, Curves = curves, Breakdowns = breakdowns };
    }

    /// <summary>Writes <paramref name="html"/> as <paramref name="name"/>.html into the folder in <see cref="DumpVariable"/>, when set.</summary>
    public static void DumpIfAsked(string html, string name)
    {
        var folder = Environment.GetEnvironmentVariable(DumpVariable);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name + ".html"), html);
        }
    }
}
