using System.Globalization;
using System.Text.Json;
using Silica.Advisor.Llm;
using Silica.Hardware;
using Silica.Prediction;
using Silica.Prediction.Llm;
using Spectre.Console;

namespace Silica.Cli.Commands.Compare;

/// <summary>
/// <c>silica compare &lt;decoder&gt; --llm --slo-ttft 500ms --slo-tpot 50ms [--qps q] [--targets ...] [--json]</c>: targets
/// ranked by predicted $ per 1M output tokens at the most load each sustains within the SLOs; those that do not fit or
/// miss the SLOs are listed with the reason.
/// </summary>
internal static class CompareLlmCommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The values <c>compare --llm</c> uses.</summary>
    public sealed record Settings(string Model, string SloTtft, string SloTpot, double? Qps, string? Targets, string? Precisions,
        string PromptLen, string OutputLen, IReadOnlyList<string> CatalogFiles, double? LocalPrice, bool Json, int Top);

    public static int Run(Settings s, CancellationToken cancellationToken)
    {
        var slo = new LlmSlo(Parsing.Duration(s.SloTtft, "--slo-ttft"), Parsing.Duration(s.SloTpot, "--slo-tpot"));
        var prompts = TokenLengths.Parse(s.PromptLen, "--prompt-len");
        var outputs = TokenLengths.Parse(s.OutputLen, "--output-len");
        var catalog = CatalogLoader.LoadWithOverrides([.. s.CatalogFiles]);
        var shape = DecoderInput.Resolve(s.Model).Shape;
        var request = new LlmCompareRequest
        {
            Shape = shape,
            Catalog = catalog,
            Slo = slo,
            Prompts = prompts,
            Outputs = outputs,
            Qps = s.Qps,
            Targets = Split(s.Targets),
            Precisions = s.Precisions is null ? [NumericFormat.Bf16, NumericFormat.Fp16] : [.. Split(s.Precisions).Select(Precision.Parse).Distinct()],
            LocalPricePerHour = s.LocalPrice,
        };
        var rows = LlmComparison.Run(request, cancellationToken);
        if (s.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(Json(request, s.Model, rows), new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Print(request, s.Model, rows, s.Top < 1 ? 30 : s.Top);
        }
        return 0;
    }

    private static object Json(LlmCompareRequest r, string model, IReadOnlyList<LlmDeployment> rows) => new
    {
        kind = "predicted",
        model,
        parameters = r.Shape.ParameterCount,
        sloTtftMs = r.Slo.Ttft.TotalMilliseconds,
        sloTpotMs = r.Slo.Tpot.TotalMilliseconds,
        sloPercentile = r.Scheduler.SloPercentile,
        promptTokens = r.Prompts.ToString(),
        outputTokens = r.Outputs.ToString(),
        qps = r.Qps,
        targets = rows.Select((d, i) => new
        {
            rank = d.Ranked ? i + 1 : (int?)null,
            instance = d.InstanceId,
            device = d.DeviceId,
            precision = Precision.Name(d.Precision),
            fits = d.Fits,
            meetsSlo = d.MeetsSlo,
            reason = d.Reason,
            tensorParallel = d.TensorParallel == 0 ? (int?)null : d.TensorParallel,
            replicas = d.Replicas == 0 ? (int?)null : d.Replicas,
            pricePerHour = d.PricePerHour,
            outputTokensPerSecond = d.TokensPerSecond,
            outputTokensPerSecondLow = d.TokensPerSecondLow,
            outputTokensPerSecondHigh = d.TokensPerSecondHigh,
            requestsPerSecond = d.RequestsPerSecond,
            dollarsPerMillionOutputTokens = d.DollarsPerMillionTokens,
            dollarsPerMillionOutputTokensLow = d.DollarsPerMillionTokensLow,
            dollarsPerMillionOutputTokensHigh = d.DollarsPerMillionTokensHigh,
            instancesNeeded = d.InstancesNeeded,
            hourlyCost = d.HourlyCost,
            ttftP50Ms = d.AtCapacity?.TtftP50Seconds * 1e3,
            ttftP99Ms = d.AtCapacity?.TtftP99Seconds * 1e3,
            tpotP50Ms = d.AtCapacity?.TpotP50Seconds * 1e3,
            tpotP99Ms = d.AtCapacity?.TpotP99Seconds * 1e3,
            meanRunningSequences = d.AtCapacity?.MeanRunning,
            memoryRequiredBytes = d.Memory?.RequiredBytes,
            memoryUsableBytes = d.Memory?.UsableBytes,
            basis = d.Basis,
        }),
        band = "90% interval of the step-time prior, rerun through the simulation",
    };

    private static void Print(LlmCompareRequest r, string model, IReadOnlyList<LlmDeployment> rows, int top)
    {
        Console.Out.WriteLine(string.Create(C,
            $"{model} ({r.Shape.ParameterCount / 1e9:0.##} B parameters): prompt {r.Prompts}, output {r.Outputs} tokens; p{r.Scheduler.SloPercentile:0} TTFT <= {r.Slo.Ttft.TotalMilliseconds:0.###} ms, TPOT <= {r.Slo.Tpot.TotalMilliseconds:0.###} ms") +
            (r.Qps is { } q ? string.Create(C, $"; {q:0.##} requests/s") : "") + " — all figures predicted");
        var ranked = rows.Where(d => d.MeetsSlo).ToList();
        var table = new Table().Title("Targets by $ per 1M output tokens at the most load within the SLOs, cheapest first");
        table.AddColumns("#", "instance", "prec", "layout", "tokens/s/inst (band)", "$/1M out (band)", "p99 TTFT ms", "p99 TPOT ms", "req/s/inst", r.Qps is null ? "$/hour" : "instances, $/hour");
        foreach (var column in table.Columns)
        {
            column.NoWrap();
        }
        var rank = 0;
        foreach (var d in ranked.Take(top))
        {
            rank++;
            table.AddRow(
                d.Ranked ? rank.ToString(C) : "-",
                Markup.Escape(d.InstanceId),
                Precision.Name(d.Precision),
                string.Create(C, $"TP {d.TensorParallel} x {d.Replicas}"),
                string.Create(C, $"{d.TokensPerSecond:0} ({d.TokensPerSecondLow:0}-{d.TokensPerSecondHigh:0})"),
                d.DollarsPerMillionTokens is { } dollars
                    ? string.Create(C, $"{dollars:0.###} ({d.DollarsPerMillionTokensLow:0.###}-") + (d.DollarsPerMillionTokensHigh is { } h ? h.ToString("0.###", C) : "SLO missed") + ")"
                    : "unpriced",
                string.Create(C, $"{d.AtCapacity!.TtftP99Seconds * 1e3:0}"),
                string.Create(C, $"{d.AtCapacity.TpotP99Seconds * 1e3:0.#}"),
                string.Create(C, $"{d.RequestsPerSecond:0.##}"),
                d.InstancesNeeded is { } n ? string.Create(C, $"{n}, {d.HourlyCost:0.##}") : d.PricePerHour?.ToString("0.###", C) ?? "-");
        }
        AnsiConsole.Write(table);
        foreach (var d in rows.Where(d => !d.MeetsSlo))
        {
            Console.Out.WriteLine($"  {d.InstanceId} ({Precision.Name(d.Precision)}): {(d.Fits ? "misses the SLOs" : "does not fit")} — {d.Reason}");
        }
        if (ranked.FirstOrDefault() is { } best)
        {
            Console.Out.WriteLine($"basis: {best.Basis}");
        }
    }

    private static List<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
