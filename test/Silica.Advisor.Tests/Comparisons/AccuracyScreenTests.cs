using Silica.Advisor.Measurement;
using Silica.Advisor.Report;
using Silica.Advisor.Results;
using Silica.Hardware;

namespace Silica.Advisor.Tests.Comparisons;

/// <summary>The advisor's side of <c>--precision auto</c>: it costs the formats it is given and carries the screen into the results.</summary>
public sealed class AccuracyScreenTests
{
    private static AccuracyScreen Screen() => new()
    {
        BudgetPoints = 1,
        Basis = "accuracy measured on this machine's CPU with ONNX Runtime; cost and latency are predicted per target",
        Evaluation = new ScreenData("synthetic (8 samples, seed 2)", 8, true),
        Precisions =
        [
            new("fp32", "fp32", true, [], null, 8, "synthetic (8 samples, seed 2)", false, 0),
            new("fp16", "fp16", true, [new("top-1 agreement", 100, 100, 0, true, true)], null, 8, "synthetic (8 samples, seed 2)", false, 0.2),
            new("int8", "int8", false, [new("top-1 agreement", 100, 87.5, 12.5, false, true)], "top-1 agreement 87.5% vs 100% for fp32: drop 12.5 pt > budget 1 pt",
                8, "synthetic (8 samples, seed 2)", false, 0.3),
        ],
        Excluded = [new("int8", "top-1 agreement 87.5% vs 100% for fp32: drop 12.5 pt > budget 1 pt")],
        Seconds = 0.5,
    };

    private static CompareRequest Request() => new()
    {
        Model = ModelInput.Resolve("zoo:mlp"),
        Catalog = CatalogLoader.LoadDefault(),
        Targets = ["g5", "local"],
        BatchSizes = [1, 4],
        MeasureBudget = TimeSpan.Zero,
        Precisions = [NumericFormat.Fp32, NumericFormat.Fp16],
        AccuracyScreen = Screen(),
    };

    [Fact]
    public void Run_WithScreen_CostsOnlyTheAdmittedFormats_AndCarriesTheScreen()
    {
        var results = Comparison.Run(Request());
        Assert.Equal(["fp32", "fp16"], results.Requirement.Precisions);
        Assert.All(results.Deployments, d => Assert.Contains(d.Precision, new[] { "fp32", "fp16" }));
        Assert.Equal("int8", Assert.Single(results.Accuracy!.Excluded).Precision);
        Assert.Contains(results.Notes, n => n.Contains("--precision auto", StringComparison.Ordinal) && n.Contains("predicted per target", StringComparison.Ordinal));
        Assert.DoesNotContain(results.Notes, n => n.Contains("int8 and fp8 were not considered", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_OnlyFp32Admitted_StillRanksFp32Rows()
    {
        var screen = Screen() with
        {
            Precisions = [.. Screen().Precisions.Select(p => p.Precision == "fp32" ? p : p with { Passed = false, Reason = "over budget" })],
            Excluded = [new("fp16", "over budget"), new("int8", "over budget")],
        };
        var results = Comparison.Run(Request() with { Precisions = [NumericFormat.Fp32], AccuracyScreen = screen });
        Assert.Equal(["fp32"], results.Requirement.Precisions);
        Assert.Contains(results.Deployments, d => d.Feasible);
        Assert.All(results.Deployments, d => Assert.Equal("fp32", d.Precision));
        Assert.Equal(2, results.Accuracy!.Excluded.Count);
    }

    [Fact]
    public void Json_RoundTripsTheScreen()
    {
        var results = Comparison.Run(Request());
        var back = CompareResultsJson.Read(CompareResultsJson.Write(results));
        Assert.NotNull(back.Accuracy);
        Assert.Equal(3, back.Accuracy!.Precisions.Count);
        Assert.Equal(87.5, back.Accuracy.Precisions[2].Metrics[0].ValuePercent);
        Assert.Equal("int8", Assert.Single(back.Accuracy.Excluded).Precision);
    }

    [Fact]
    public void Html_ShowsTheGateAndTheExclusion()
    {
        var html = HtmlReport.Render(Comparison.Run(Request()));
        Assert.Contains("<section id=\"accuracy\">", html, StringComparison.Ordinal);
        Assert.Contains("excluded: top-1 agreement 87.5% vs 100% for fp32", html, StringComparison.Ordinal);
        Assert.Contains("synthetic samples (weaker evidence than real data)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithoutScreen_ResultsAndReportHaveNoAccuracySection()
    {
        var results = Comparison.Run(Request() with { AccuracyScreen = null });
        Assert.Null(results.Accuracy);
        Assert.DoesNotContain("id=\"accuracy\"", HtmlReport.Render(results), StringComparison.Ordinal);
    }
}
