using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.Sweeps;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Tests.Sweeps;

public class BatchSweepTests
{
    [Fact]
    public async Task RunAsync_DelaySutPerSampleCost_CurveRisesWithBatch()
    {
        var created = new List<int>();
        var settings = new RunSettings
        {
            Scenario = Scenario.MultiStream,
            MinDuration = TimeSpan.FromMilliseconds(250),
            MaxDuration = TimeSpan.FromMilliseconds(250),
            WindowDuration = TimeSpan.FromMilliseconds(100),
            RequireStability = false,
        };

        var (curve, results) = await BatchSweep.RunAsync(
            [1, 4, 16],
            batch =>
            {
                created.Add(batch);
                return new DelaySystemUnderTest(TimeSpan.FromMilliseconds(1), perSample: TimeSpan.FromMilliseconds(0.25));
            },
            settings);

        Assert.Equal([1, 4, 16], created);
        Assert.Equal([1, 4, 16], curve.Points.Select(p => p.BatchSize));
        Assert.Equal([1, 4, 16], results.Select(r => r.Settings.SamplesPerQuery));
        // Service time 1.25, 2 and 5 ms: p50 can only be at or above it.
        Assert.True(curve.Points[0].P50Us >= 1_240 && curve.Points[2].P50Us >= 4_950, string.Join(", ", curve.Points.Select(p => p.P50Us)));
        Assert.True(curve.Points[2].P50Us > curve.Points[0].P50Us);
        Assert.Equal(curve, ResultsJson.DeserializeCurve(ResultsJson.Serialize(curve)));
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 1, 0 })]
    public async Task RunAsync_BadBatchSizes_Throws(int[] batchSizes)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => BatchSweep.RunAsync(batchSizes, _ => new InstantSystemUnderTest(), new RunSettings()));
    }
}
