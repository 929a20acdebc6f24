namespace Silica.Hardware.Tests;

public sealed class CatalogValidatorTests
{
    private static SourcedValue Fig(double v, string? source = "datasheet", string? date = "2024-01") => new(v, source, date);

    private static DeviceSpec Gpu(string id, double bf16 = 100, double? fp8 = 200, double bw = 1000) => new()
    {
        Id = id,
        Name = id,
        Class = DeviceClass.Gpu,
        Peak = PeakThroughput.None with { Bf16 = Fig(bf16), Fp8 = fp8 is null ? null : Fig(fp8.Value) },
        MemoryGiB = Fig(16),
        MemoryBandwidthGBps = Fig(bw),
    };

    private static InstanceOffer Box(string id, string device) => new()
    {
        Id = id,
        Provider = "aws",
        DeviceId = device,
        VCpus = 4,
        PricePerHour = Fig(1),
        MemoryGiB = Fig(16),
    };

    [Fact]
    public void Validate_SoundCatalog_NoProblems()
    {
        Assert.Empty(CatalogValidator.Validate(new Catalog([Gpu("g")], [Box("b", "g")])));
    }

    [Fact]
    public void Validate_SparseLookingFp8_Reported()
    {
        var problems = CatalogValidator.Validate(new Catalog([Gpu("h100-sparse", bf16: 989.5, fp8: 3958)], []));
        Assert.Contains(problems, p => p.EntryId == "h100-sparse" && p.Message.Contains("sparse", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MissingSourceAndDate_BothReported()
    {
        var d = Gpu("g") with { PowerW = new SourcedValue(300, null, null) };
        var problems = CatalogValidator.Validate(new Catalog([d], []));
        Assert.Contains(problems, p => p.Message == "powerW has no source");
        Assert.Contains(problems, p => p.Message == "powerW has no date");
    }

    [Fact]
    public void Validate_BadFiguresReferencesAndDuplicates_AllReported()
    {
        var problems = CatalogValidator.Validate(new Catalog(
            [Gpu("g", bw: -5), Gpu("G"), Gpu("z") with { MemoryGiB = Fig(0) }],
            [Box("b", "missing"), Box("b", "g") with { PricePerHour = Fig(1, date: "June 2024") }]));
        Assert.Contains(problems, p => p.EntryId == "g" && p.Message.Contains("memoryBandwidthGBps must be positive", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EntryId == "z" && p.Message.Contains("memoryGiB must be positive", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("duplicate device id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("duplicate instance id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message == "references unknown device 'missing'");
        Assert.Contains(problems, p => p.Message.Contains("is not YYYY-MM", StringComparison.Ordinal));
    }
}
