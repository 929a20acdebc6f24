using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class SimulateCommandTests
{
    /// <summary>A single-stream bench report cut down to what the curve needs: 2 ms at batch 1, 6.5 ms at batch 8.</summary>
    private const string Curve = """
        {
          "schemaVersion": 1,
          "model": { "name": "hand-written", "sha256": "00", "parameters": 0 },
          "backend": "cpu",
          "environment": { "logicalCores": 2 },
          "configuration": { "scenario": "SingleStream", "batchSizes": [1, 4, 8], "threadCounts": [1], "concurrency": 1, "bindings": {} },
          "points": [
            { "threads": 1, "batchSize": 1, "energy": { "joulesPerInference": 0, "averageWatts": 0, "source": "estimated", "method": "none" },
              "result": { "settings": {}, "counts": {}, "throughput": { "queriesPerSecond": 500 }, "latency": { "p50Us": 2000, "p99Us": 3000 } } },
            { "threads": 1, "batchSize": 4, "energy": { "joulesPerInference": 0, "averageWatts": 0, "source": "estimated", "method": "none" },
              "result": { "settings": {}, "counts": {}, "throughput": { "queriesPerSecond": 250 }, "latency": { "p50Us": 4000, "p99Us": 6000 } } },
            { "threads": 1, "batchSize": 8, "energy": { "joulesPerInference": 0, "averageWatts": 0, "source": "estimated", "method": "none" },
              "result": { "settings": {}, "counts": {}, "throughput": { "queriesPerSecond": 150 }, "latency": { "p50Us": 6500, "p99Us": 9000 } } }
          ]
        }
        """;

    [Fact]
    public async Task Simulate_HandWrittenCurve_PrintsTableCapacityAndJson()
    {
        var dir = Directory.CreateTempSubdirectory("silica-sim-").FullName;
        try
        {
            var curve = Path.Combine(dir, "curve.json");
            var output = Path.Combine(dir, "sim.json");
            await File.WriteAllTextAsync(curve, Curve);

            var r = await CliRunner.RunAsync("simulate", "--curve", curve, "--batching", "max=8,delay=2ms", "--qps", "100,900",
                "--slo-p99", "50ms", "--overhead", "p50=1ms,p99=5ms", "--json", output);

            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            Assert.Contains($"Simulated from {curve}", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("Max QPS with p99 ≤ 50.00 ms", r.StdOut, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var root = doc.RootElement;
            Assert.Equal("simulated", root.GetProperty("basis").GetString());
            var results = root.GetProperty("results");
            Assert.Equal(2, results.GetArrayLength());
            // A lone request waits the 2 ms delay, runs alone for about 2 ms, and the platform adds 1 ms at the median.
            Assert.InRange(results[0].GetProperty("p50Ms").GetDouble(), 4.5, 6.0);
            Assert.Equal(2, root.GetProperty("overhead").GetArrayLength());
            // Heavier load forms larger batches and keeps the server busier.
            Assert.True(results[1].GetProperty("meanBatch").GetDouble() > results[0].GetProperty("meanBatch").GetDouble() + 1);
            Assert.True(results[1].GetProperty("utilization").GetDouble() > results[0].GetProperty("utilization").GetDouble());
            // Full batches of 8 every 6.5 ms (median) bound the capacity at 1231/s.
            var capacity = root.GetProperty("capacity").GetProperty("maxQps").GetDouble();
            Assert.InRange(capacity, 900, 8 / 0.0065);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not-json")]
    [InlineData("no-points")]
    [InlineData("server-run")]
    [InlineData("bad-qps")]
    [InlineData("rows-too-many")]
    [InlineData("calibrate-not-server")]
    [InlineData("overhead-and-calibrate")]
    [InlineData("bad-arrivals")]
    public async Task Simulate_BadInput_OneLineErrorExitCodeTwo(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("silica-sim-").FullName;
        try
        {
            var curve = Path.Combine(dir, "curve.json");
            var qps = "100";
            var rows = "1";
            var extra = new List<string>();
            switch (kind)
            {
                case "not-json":
                    await File.WriteAllTextAsync(curve, "this is not JSON\n");
                    break;
                case "no-points":
                    await File.WriteAllTextAsync(curve, Curve[..Curve.IndexOf("\"points\"", StringComparison.Ordinal)] + "\"points\": [] }");
                    break;
                case "server-run":
                    await File.WriteAllTextAsync(curve, Curve.Replace("SingleStream", "Server", StringComparison.Ordinal));
                    break;
                case "bad-qps":
                    await File.WriteAllTextAsync(curve, Curve);
                    qps = "fast";
                    break;
                case "rows-too-many":
                    await File.WriteAllTextAsync(curve, Curve);
                    rows = "9";
                    break;
                case "calibrate-not-server":
                    // The calibration must be a server run behind the batcher; a single-stream curve is refused.
                    await File.WriteAllTextAsync(curve, Curve);
                    extra.AddRange(["--calibrate", curve]);
                    break;
                case "bad-arrivals":
                    await File.WriteAllTextAsync(curve, Curve);
                    extra.AddRange(["--arrivals", "bursty"]);
                    break;
                case "overhead-and-calibrate":
                    await File.WriteAllTextAsync(curve, Curve);
                    extra.AddRange(["--overhead", "3ms", "--calibrate", curve]);
                    break;
            }

            var r = await CliRunner.RunAsync(["simulate", "--curve", curve, "--batching", "max=8,delay=2ms", "--qps", qps, "--rows", rows, .. extra]);

            CliRunner.AssertOneLineError(r);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
