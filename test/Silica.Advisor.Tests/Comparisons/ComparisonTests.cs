using Silica.Advisor.Measurement;
using Silica.Advisor.Results;
using Silica.Hardware;

namespace Silica.Advisor.Tests.Comparisons;

public sealed class ComparisonTests
{
    private static CompareRequest Request(Catalog? catalog = null, TimeSpan? budget = null, double sloMs = 50, string[]? targets = null) => new()
    {
        Model = ModelInput.Resolve("zoo:mlp"),
        Catalog = catalog ?? CatalogLoader.LoadDefault(),
        Qps = 500,
        SloP99 = TimeSpan.FromMilliseconds(sloMs),
        Targets = targets ?? ["local", "inf2", "g6", "c7i", "ct5lp"],
        BatchSizes = [1, 4, 16],
        MeasureBudget = budget ?? TimeSpan.Zero,
        Claims = ["inf2 halves cost vs g6"],
    };

    [Fact]
    public void Run_MeasuredLocalAndPredictedTargets_RankedByCostWithParetoFront()
    {
        var results = Comparison.Run(Request(budget: TimeSpan.FromSeconds(2)));
        var local = results.Deployments.Single(d => d.InstanceId == "local" && d.Precision == "fp32");
        Assert.Equal("measured", local.Basis);
        Assert.NotNull(results.Local);
        Assert.NotEmpty(results.Local!.Points);
        Assert.NotNull(results.Calibration);
        Assert.All(results.Deployments.Where(d => d.InstanceId != "local"), d => Assert.Equal("predicted", d.Basis));
        var priced = results.Deployments.Where(d => d.Feasible && d.CostPerMillion is not null).ToList();
        Assert.True(priced.Count >= 8);
        Assert.Equal(priced.Select(d => d.CostPerMillion), priced.Select(d => d.CostPerMillion).Order());
        Assert.Equal(Enumerable.Range(1, priced.Count), priced.Select(d => d.Rank));
        Assert.Contains(priced, d => d.OnParetoFront);
        Assert.Equal(priced[0].InstanceId, priced.First(d => d.OnParetoFront).InstanceId);
        Assert.All(priced, d => Assert.True(d.CostPerMillionLow <= d.CostPerMillion && d.CostPerMillion <= (d.CostPerMillionHigh ?? double.MaxValue)));
        Assert.All(priced, d => Assert.True(d.P99Ms <= 50, $"{d.InstanceId} p99 {d.P99Ms}"));
        Assert.Single(results.Claims);
        Assert.NotEmpty(results.Curves);
        Assert.NotEmpty(results.Breakdowns);
    }

    [Fact]
    public void Run_ImpossibleSlo_EveryRowInfeasibleWithReason()
    {
        var results = Comparison.Run(Request(sloMs: 0.001));
        Assert.All(results.Deployments, d =>
        {
            Assert.False(d.Feasible);
            Assert.False(string.IsNullOrEmpty(d.Reason));
        });
    }

    [Fact]
    public void Run_UnsupportedPrecision_RuledOutByCatalog()
    {
        var results = Comparison.Run(Request() with { Precisions = [NumericFormat.Bf16], Targets = ["g4dn"] });
        var row = Assert.Single(results.Deployments);
        Assert.False(row.Feasible);
        Assert.Contains("no bf16 path", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DeviceTooSmall_RuledOutByMemory()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """
            { "devices": [ { "id": "tiny-inf", "basedOn": "inferentia2", "scale": { "memory": 0.00000001 }, "source": "test" } ],
              "instances": [ { "id": "tiny.xlarge", "basedOn": "inf2.xlarge", "device": "tiny-inf" } ] }
            """);
        try
        {
            var results = Comparison.Run(Request(CatalogLoader.LoadWithOverrides(file), targets: ["tiny.xlarge"]));
            Assert.All(results.Deployments.Where(d => d.Reason is not null && !d.Reason.Contains("path", StringComparison.Ordinal)),
                d => Assert.Contains("GiB", d.Reason, StringComparison.Ordinal));
            Assert.DoesNotContain(results.Deployments, d => d.Feasible);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Validate_UnknownTarget_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Comparison.Run(Request(targets: ["nosuch"])));
        Assert.Contains("nosuch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrips()
    {
        var results = Comparison.Run(Request(targets: ["inf2.xlarge", "g6"]));
        var back = CompareResultsJson.Read(CompareResultsJson.Write(results));
        Assert.Equal(results.Deployments.Count, back.Deployments.Count);
        Assert.Equal(results.Deployments[0].CostPerMillion, back.Deployments[0].CostPerMillion);
        Assert.Equal(results.Model.FlopsPerSample, back.Model.FlopsPerSample);
        Assert.Throws<FormatException>(() => CompareResultsJson.Read("{\"schemaVersion\": 9}"));
    }
}
