using System.Globalization;
using Silica.Hardware;
using Silica.Prediction;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>
/// <c>silica compare &lt;decoder&gt; --llm</c>: for every selected instance and format, every tensor-parallel degree
/// whose memory holds the weights and a request's KV cache is simulated under continuous batching to find the most
/// output tokens per second within the TTFT/TPOT SLOs; the instance's best layout is priced in $ per 1M output tokens
/// (<c>price_per_hour / (3600 × tokens_per_s) × 1e6</c>) and the instances are ranked by it, cheapest first.
/// </summary>
public static class LlmComparison
{
    /// <summary>Runs the comparison.</summary>
    /// <exception cref="ArgumentException">The request is invalid (see <see cref="LlmCompareRequest.Validate"/>).</exception>
    public static IReadOnlyList<LlmDeployment> Run(LlmCompareRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var rows = new List<LlmDeployment>();
        foreach (var instance in request.SelectedInstances())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = LlmTarget.Of(request.Catalog, instance);
            if (instance.Kind == InstanceKind.Local && request.LocalPricePerHour is { } price)
            {
                target = target with { Instance = instance with { PricePerHour = new SourcedValue(price, "--local-price", null) } };
            }
            var formats = target.Supported(request.Precisions).ToList();
            if (formats.Count == 0)
            {
                rows.Add(Infeasible(target, request.Precisions[0], fits: false,
                    $"{target.Device.Id} supports none of {string.Join(", ", request.Precisions.Select(Precision.Name))}"));
                continue;
            }
            var best = formats.Select(f => Evaluate(request, target, f)).OrderBy(Order).First();
            rows.Add(best);
        }
        return [.. rows.OrderBy(Order)];
    }

    /// <summary>Ranked rows by $ per 1M tokens; then feasible but unpriced by tokens/s; then SLO misses; then misfits.</summary>
    private static (int, double) Order(LlmDeployment d) =>
        d.Ranked ? (0, d.DollarsPerMillionTokens!.Value)
        : d.MeetsSlo ? (1, -d.TokensPerSecond)
        : d.Fits ? (2, 0)
        : (3, 0);

    private static LlmDeployment Evaluate(LlmCompareRequest request, LlmTarget target, NumericFormat precision)
    {
        var held = (long)request.Prompts.Max + request.Outputs.Max;
        IReadOnlyList<TensorParallelPlan> plans;
        try
        {
            plans = TensorParallelPlan.Candidates(request.Shape, target.Instance, target.Device, precision, held);
        }
        catch (NotSupportedException e)
        {
            return Infeasible(target, precision, fits: false, e.Message);
        }
        var fitting = plans.Where(p => p.Memory.Fits).ToList();
        if (fitting.Count == 0)
        {
            var largest = plans[^1];
            return Infeasible(target, precision, fits: false, "does not fit: " + largest.Memory.Describe()
                + (largest.Degree > 1 ? string.Create(CultureInfo.InvariantCulture, $" at TP {largest.Degree}") : "")) with { Memory = largest.Memory };
        }
        (TensorParallelPlan Plan, ReplicaCapacity Capacity)? best = null;
        string? reason = null;
        foreach (var plan in fitting)
        {
            var factors = DecoderPredictor.PriorFactors(plan.Model.Replica);
            var capacity = ContinuousBatchingSimulator.MaxSustainable(plan.Model, factors, request.Prompts, request.Outputs, request.Slo, request.Scheduler);
            if (!capacity.MeetsSlo)
            {
                reason ??= capacity.Reason + (plan.Degree > 1 ? string.Create(CultureInfo.InvariantCulture, $" (TP {plan.Degree})") : "");
                continue;
            }
            var perInstance = capacity.OutputTokensPerSecond * plan.Model.Replica.ReplicasPerInstance;
            if (best is null || perInstance > best.Value.Capacity.OutputTokensPerSecond * best.Value.Plan.Model.Replica.ReplicasPerInstance)
            {
                best = (plan, capacity);
            }
        }
        if (best is not { } chosen)
        {
            return Infeasible(target, precision, fits: true, reason ?? "misses the SLOs") with { Memory = fitting[0].Memory, TensorParallel = fitting[0].Degree };
        }
        return Feasible(request, target, precision, chosen.Plan, chosen.Capacity);
    }

    private static LlmDeployment Feasible(LlmCompareRequest request, LlmTarget target, NumericFormat precision, TensorParallelPlan plan, ReplicaCapacity capacity)
    {
        var replica = plan.Model.Replica;
        var replicas = replica.ReplicasPerInstance;
        var factors = DecoderPredictor.PriorFactors(replica);
        var band = factors.BandFactor;
        // The band's ends: every step time scaled by the prior's 90% band, the search rerun (SLOs stay fixed, so the
        // sustained rate does not scale linearly with step time).
        var slow = ContinuousBatchingSimulator.MaxSustainable(plan.Model, ContinuousBatchingSimulator.Scaled(factors, band),
            request.Prompts, request.Outputs, request.Slo, request.Scheduler);
        var fast = ContinuousBatchingSimulator.MaxSustainable(plan.Model, ContinuousBatchingSimulator.Scaled(factors, 1 / band),
            request.Prompts, request.Outputs, request.Slo, request.Scheduler);
        var tokens = capacity.OutputTokensPerSecond * replicas;
        var tokensLow = slow.OutputTokensPerSecond * replicas;
        var tokensHigh = Math.Max(tokens, fast.OutputTokensPerSecond * replicas);
        var price = target.Instance.PricePerHour?.Value;
        double? Dollars(double t) => price is { } p && t > 0 ? CostMath.DollarsPerMillionTokens(p, t) : null;
        var qps = capacity.Qps * replicas;
        int? needed = request.Qps is { } q ? CostMath.ReplicasFor(q, qps) : null;
        return new LlmDeployment
        {
            InstanceId = target.Instance.Id,
            DeviceId = target.Device.Id,
            Precision = precision,
            TensorParallel = plan.Degree,
            Replicas = replicas,
            PricePerHour = price,
            Fits = true,
            MeetsSlo = true,
            AtCapacity = capacity.Result,
            TokensPerSecond = tokens,
            TokensPerSecondLow = Math.Min(tokens, tokensLow),
            TokensPerSecondHigh = tokensHigh,
            RequestsPerSecond = qps,
            DollarsPerMillionTokens = Dollars(tokens),
            DollarsPerMillionTokensLow = Dollars(tokensHigh),
            DollarsPerMillionTokensHigh = tokensLow > 0 ? Dollars(Math.Min(tokens, tokensLow)) : null,
            InstancesNeeded = needed,
            HourlyCost = needed is { } n && price is { } pr ? CostMath.HourlyCost(pr, n) : null,
            Memory = DecoderMemory.For(plan.Model, (long)request.Prompts.Max + request.Outputs.Max),
            Basis = string.Create(CultureInfo.InvariantCulture,
                $"{factors.Basis}; continuous batching simulated per replica (chunked prefill, {request.Scheduler.MaxBatchedTokens} tokens/step, up to {request.Scheduler.MaxSequences} sequences, Poisson arrivals, p{request.Scheduler.SloPercentile:0} SLOs); band: step times x/÷ {band:0.##}"),
        };
    }

    private static LlmDeployment Infeasible(LlmTarget target, NumericFormat precision, bool fits, string reason) => new()
    {
        InstanceId = target.Instance.Id,
        DeviceId = target.Device.Id,
        Precision = precision,
        PricePerHour = target.Instance.PricePerHour?.Value,
        Fits = fits,
        MeetsSlo = false,
        Reason = reason,
        Basis = "predicted",
    };
}
