using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Llm;

/// <summary>What <c>silica compare --llm</c> is asked: the decoder, the request mix and SLOs, and where to look.</summary>
public sealed record LlmCompareRequest
{
    /// <summary>The decoder to serve.</summary>
    public required DecoderShape Shape { get; init; }

    /// <summary>The catalog of targets.</summary>
    public required Catalog Catalog { get; init; }

    /// <summary>TTFT and TPOT bounds.</summary>
    public required LlmSlo Slo { get; init; }

    /// <summary>Prompt lengths of the requests.</summary>
    public TokenLengths Prompts { get; init; } = TokenLengths.Fixed(512);

    /// <summary>Output lengths of the requests.</summary>
    public TokenLengths Outputs { get; init; } = TokenLengths.Fixed(128);

    /// <summary>Requests per second to serve in total, for instance counts and the hourly bill; null ranks at full load only.</summary>
    public double? Qps { get; init; }

    /// <summary>Instance ids, id prefixes or device ids (<see cref="CompareRequest.Matches"/>); empty: every priced cloud instance.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Formats to consider where the device supports them; the cheapest per instance is reported.</summary>
    public IReadOnlyList<NumericFormat> Precisions { get; init; } = [NumericFormat.Bf16, NumericFormat.Fp16];

    /// <summary>The scheduler simulated on each replica.</summary>
    public ContinuousBatchingOptions Scheduler { get; init; } = new();

    /// <summary>Price per hour for this machine, so that <c>local</c> is ranked; null leaves it unpriced.</summary>
    public double? LocalPricePerHour { get; init; }

    /// <summary>Checks the request; throws a one-line message naming the problem.</summary>
    /// <exception cref="ArgumentException">A value is out of range or a target matches nothing.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Slo);
        if (Slo.Ttft <= TimeSpan.Zero || Slo.Tpot <= TimeSpan.Zero)
        {
            throw new ArgumentException("--slo-ttft and --slo-tpot must be positive durations");
        }
        if (Qps is { } q && (!(q > 0) || !double.IsFinite(q)))
        {
            throw new ArgumentException($"--qps must be a positive rate (got {q})");
        }
        if (Precisions.Count == 0)
        {
            throw new ArgumentException("--precision needs at least one format");
        }
        if (LocalPricePerHour is < 0)
        {
            throw new ArgumentException("--local-price must not be negative");
        }
        if (Shape.ContextLength is { } context && Prompts.Max + Outputs.Max > context)
        {
            throw new ArgumentException($"prompt + output up to {Prompts.Max + Outputs.Max} tokens exceeds {Shape.Name}'s context length of {context}");
        }
        Scheduler.Validate();
        foreach (var t in Targets)
        {
            if (!Catalog.Instances.Any(i => CompareRequest.Matches(i, t)))
            {
                throw new ArgumentException($"unknown target '{t}': no instance id starts with it (see 'silica catalog')");
            }
        }
    }

    /// <summary>
    /// The instances to compare: those named, or every cloud instance (this machine too when it is given a price).
    /// </summary>
    public IEnumerable<InstanceOffer> SelectedInstances() => Targets.Count > 0
        ? Catalog.Instances.Where(i => Targets.Any(t => CompareRequest.Matches(i, t)))
        : Catalog.Instances.Where(i => i.Kind == InstanceKind.Cloud || LocalPricePerHour is not null);
}
