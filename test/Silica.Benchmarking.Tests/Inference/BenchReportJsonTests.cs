using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Tests.Inference;

public sealed class BenchReportJsonTests
{
    [Fact]
    public void Serialize_RealRunReport_RoundTripsToSameJson()
    {
        using var sut = new DelaySystemUnderTest(TimeSpan.FromMilliseconds(1));
        var result = LoadGenerator.Run(sut, new RunSettings
        {
            Scenario = Scenario.SingleStream,
            MinDuration = TimeSpan.FromMilliseconds(200),
            MaxDuration = TimeSpan.FromMilliseconds(400),
            WindowDuration = TimeSpan.FromMilliseconds(50),
            MinQueryCount = 10,
        });
        var report = new BenchReport
        {
            Model = new BenchModel("zoo:mlp", new string('a', 64), 1.3e6, 669_706),
            Backend = "cpu",
            Environment = EnvironmentInfo.Capture(),
            Configuration = new BenchConfiguration("SingleStream", [1], [0], null, null, 1, null, new Dictionary<string, long> { ["seq"] = 8 }),
            Points = [new BenchPoint(0, 1, result, new EnergyFigure(0.001, 12.5, "estimated", "test"), null, 123.4, [new CapacityProbe(100, 99.5, 1234, true)])],
        };

        var json = BenchReportJson.Serialize(report);
        var back = BenchReportJson.Deserialize(json);

        Assert.Equal(json, BenchReportJson.Serialize(back));
        Assert.Equal(result, back.Points[0].Result);
        Assert.Equal(123.4, back.Points[0].MaxQps);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 99}", "schema version 99")]
    [InlineData("{}", "schema version 0")]
    [InlineData("not json", "not a bench report")]
    public void Deserialize_UnknownOrBadDocument_ClearFormatException(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => BenchReportJson.Deserialize(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
