namespace Silica.Hardware.Tests;

public sealed class DefaultCatalogTests
{
    private static readonly Catalog DefaultCatalog = CatalogLoader.LoadDefault();

    [Fact]
    public void Validate_EmbeddedCatalog_NoProblems()
    {
        var problems = CatalogValidator.Validate(DefaultCatalog);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Figures_EveryCatalogEntry_HaveSourceAndMonth()
    {
        var figures = DefaultCatalog.Devices.Where(d => !d.Local).SelectMany(d => d.Figures().Select(f => (d.Id, f.Name, f.Value)))
            .Concat(DefaultCatalog.Instances.Where(i => i.Kind == InstanceKind.Cloud).SelectMany(i => i.Figures().Select(f => (i.Id, f.Name, f.Value))))
            .ToList();
        Assert.True(figures.Count > 150, $"only {figures.Count} figures");
        foreach (var (id, name, value) in figures)
        {
            Assert.False(string.IsNullOrWhiteSpace(value.Source), $"{id} {name} has no source");
            Assert.Matches(@"^20\d\d-\d\d$", value.Date!);
        }
    }

    [Fact]
    public void Instances_DefaultCatalog_CoverEveryDeviceClass()
    {
        var cloud = DefaultCatalog.Instances.Where(i => i.Kind == InstanceKind.Cloud).ToList();
        Assert.True(cloud.Count >= 20, $"{cloud.Count} instances");
        var classes = cloud.Select(i => DefaultCatalog.DeviceOf(i)!.Class).ToHashSet();
        Assert.Superset(new HashSet<DeviceClass> { DeviceClass.Cpu, DeviceClass.Gpu, DeviceClass.Inferentia, DeviceClass.Trainium, DeviceClass.Tpu }, classes);
        Assert.All(cloud, i => Assert.True(i.PricePerHour!.Value > 0));
    }

    [Theory]
    [InlineData("h100-sxm", 989.5, 1979.0)]
    [InlineData("a100-sxm-40gb", 312.0, null)]
    [InlineData("l4", 121.0, 242.5)]
    [InlineData("l40s", 362.05, 733.0)]
    [InlineData("trainium2", 667.0, 1299.0)]
    public void Peak_NvidiaAndTrainium_AreDenseFigures(string id, double bf16, double? fp8)
    {
        var d = DefaultCatalog.FindDevice(id)!;
        Assert.Equal(bf16, d.Peak.Bf16!.Value);
        Assert.Equal(fp8, d.Peak.Fp8?.Value);
    }

    [Fact]
    public void FindInstance_MixedCase_FindsEntryAndDevice()
    {
        var inf2 = DefaultCatalog.FindInstance("INF2.XLarge")!;
        Assert.Equal("inf2.xlarge", inf2.Id);
        Assert.Equal(DeviceClass.Inferentia, DefaultCatalog.DeviceOf(inf2)!.Class);
        Assert.Equal(190, DefaultCatalog.FindDevice("Inferentia2")!.Peak[NumericFormat.Bf16]!.Value);
        Assert.Null(DefaultCatalog.FindDevice("t4")!.Peak.Bf16);
    }

    [Fact]
    public void LoadDefault_LocalEntry_DescribedFromThisMachine()
    {
        var local = DefaultCatalog.FindInstance("local")!;
        Assert.Equal(InstanceKind.Local, local.Kind);
        Assert.Null(local.PricePerHour);
        Assert.True(local.VCpus >= 1);
        Assert.True(DefaultCatalog.DeviceOf(local)!.Local);
    }
}
