using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class CatalogCommandTests
{
    [Fact]
    public async Task Catalog_Default_ListsInstancesAndExitsZero()
    {
        var r = await CliRunner.RunAsync("catalog");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        Assert.Contains("inf2.xlarge", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("h100-sxm", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_Validate_NoProblemsExitZero()
    {
        var r = await CliRunner.RunAsync("catalog", "--validate");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
    }

    [Fact]
    public async Task Catalog_WhatIfFileAsJson_HypotheticalEntriesScaled()
    {
        var file = Path.Combine(Path.GetTempPath(), $"silica-catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {
              "devices": [ { "id": "inf3-claim", "basedOn": "inferentia2", "scale": { "compute": 3.0 }, "source": "vendor claim", "date": "2025-06" } ],
              "instances": [ { "id": "inf3.xlarge", "basedOn": "inf2.xlarge", "device": "inf3-claim", "priceScale": 1.2, "source": "assumed", "date": "2025-06" } ]
            }
            """);
        try
        {
            var r = await CliRunner.RunAsync("catalog", "--catalog", file, "--json");
            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            using var doc = JsonDocument.Parse(r.StdOut);
            var device = doc.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "inf3-claim");
            Assert.True(device.GetProperty("hypothetical").GetBoolean());
            Assert.Equal(570, device.GetProperty("figures").GetProperty("peak.bf16").GetProperty("value").GetDouble(), 6);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Catalog_MalformedUserFile_OneLineErrorExitCodeTwo()
    {
        var file = Path.Combine(Path.GetTempPath(), $"silica-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{ \"devices\": [ { \"id\": \"x\", \"basedOn\": \"no-such-chip\" } ] }");
        try
        {
            var r = await CliRunner.RunAsync("catalog", "--catalog", file);
            Assert.Equal(2, r.ExitCode);
            var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.Contains(file, lines[0], StringComparison.Ordinal);
            Assert.Contains("'x'", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
