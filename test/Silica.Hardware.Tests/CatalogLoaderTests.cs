namespace Silica.Hardware.Tests;

public sealed class CatalogLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("silica-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void LoadWithOverrides_PriceOverride_ReplacesOnlyThatFigure()
    {
        var file = Write("prices.json", """
            { "instances": [ { "id": "inf2.xlarge", "pricePerHour": { "value": 0.45, "source": "our EDP rate card", "date": "2025-05" } } ] }
            """);
        var catalog = CatalogLoader.LoadWithOverrides(file);
        var inf2 = catalog.FindInstance("inf2.xlarge")!;
        Assert.Equal(0.45, inf2.PricePerHour!.Value);
        Assert.Equal("our EDP rate card", inf2.PricePerHour.Source);
        Assert.Equal(4, inf2.VCpus);
        Assert.Equal("inferentia2", inf2.DeviceId);
        Assert.Empty(CatalogValidator.Validate(catalog));
    }

    [Fact]
    public void LoadWithOverrides_DeviceFigures_ReplacedAndNewDeviceAdded()
    {
        var file = Write("devices.json", """
            {
              "devices": [
                { "id": "L4", "source": "our measurement", "date": "2025-04", "peak": { "bf16": 115 } },
                { "id": "mi300x", "name": "AMD Instinct MI300X", "class": "gpu", "source": "AMD MI300X datasheet", "date": "2023-12",
                  "peak": { "bf16": 1307.4, "fp8": 2614.9 }, "memoryGiB": 192, "memoryBandwidthGBps": 5300 }
              ]
            }
            """);
        var catalog = CatalogLoader.LoadWithOverrides(file);
        var l4 = catalog.FindDevice("l4")!;
        Assert.Equal(115, l4.Peak.Bf16!.Value);
        Assert.Equal("our measurement", l4.Peak.Bf16.Source);
        Assert.Equal(121, l4.Peak.Fp16!.Value);
        Assert.Equal(1307.4, catalog.FindDevice("MI300X")!.Peak.Bf16!.Value);
        Assert.Empty(CatalogValidator.Validate(catalog));
    }

    [Fact]
    public void LoadWithOverrides_HypotheticalDeviceAndInstance_ScaledAndMarked()
    {
        var file = Write("inf3.json", """
            {
              "devices": [ { "id": "inf3-claim", "basedOn": "inferentia2", "scale": { "compute": 3.0, "memoryBandwidth": 1.5 },
                             "source": "vendor claim: 3x inf2 throughput", "date": "2025-06" } ],
              "instances": [ { "id": "inf3.xlarge", "basedOn": "inf2.xlarge", "device": "inf3-claim", "priceScale": 1.2,
                               "source": "assumed 1.2x inf2 price", "date": "2025-06" } ]
            }
            """);
        var catalog = CatalogLoader.LoadWithOverrides(file);
        var device = catalog.FindDevice("inf3-claim")!;
        Assert.True(device.Hypothetical);
        Assert.Equal("inferentia2", device.BasedOn);
        Assert.Equal(570, device.Peak.Bf16!.Value, 9);
        Assert.Equal(142.5, device.Peak.Fp32!.Value, 9);
        Assert.Equal(1230, device.MemoryBandwidthGBps!.Value, 9);
        Assert.Equal(32, device.MemoryGiB!.Value, 9);
        Assert.Contains("derived from inferentia2", device.Peak.Bf16.Source, StringComparison.Ordinal);
        Assert.Contains("vendor claim", device.Peak.Bf16.Source, StringComparison.Ordinal);
        Assert.Equal("2025-06", device.Peak.Bf16.Date);

        var offer = catalog.FindInstance("inf3.xlarge")!;
        Assert.True(offer.Hypothetical);
        Assert.Equal("inf3-claim", offer.DeviceId);
        Assert.Equal(0.7582 * 1.2, offer.PricePerHour!.Value, 9);
        Assert.Contains("derived from inf2.xlarge", offer.PricePerHour.Source, StringComparison.Ordinal);
        Assert.Equal(4, offer.VCpus);
        Assert.False(catalog.FindInstance("inf2.xlarge")!.Hypothetical);
        Assert.Empty(CatalogValidator.Validate(catalog));
    }

    [Theory]
    [InlineData("bad.json", "{ \"devices\": [\n  { \"id\": \"x\", }\n  oops ] }", "line 3")]
    [InlineData("basedon.json", """{ "devices": [ { "id": "inf3-claim", "basedOn": "inferentia9" } ] }""", "device 'inf3-claim': unknown basedOn 'inferentia9'")]
    [InlineData("noprice.json", """{ "instances": [ { "id": "my.box", "provider": "aws", "device": "l4", "vcpus": 4 } ] }""", "instance 'my.box': missing 'pricePerHour'")]
    [InlineData("negbw.json", """{ "devices": [ { "id": "l4", "memoryBandwidthGBps": -300 } ] }""", "device 'l4': 'memoryBandwidthGBps' must be positive")]
    [InlineData("dup.json", """{ "devices": [ { "id": "a", "basedOn": "l4" }, { "id": "A", "basedOn": "t4" } ] }""", "device 'A': duplicate id")]
    [InlineData("type.json", """{ "instances": [ { "id": "inf2.xlarge", "pricePerHour": "cheap" } ] }""", "instance 'inf2.xlarge': 'pricePerHour' must be a number")]
    [InlineData("field.json", """{ "instances": [ { "id": "inf2.xlarge", "pricePerHr": 1 } ] }""", "instance 'inf2.xlarge': unknown field 'pricePerHr'")]
    [InlineData("device.json", """{ "instances": [ { "id": "x.large", "provider": "aws", "device": "nope", "vcpus": 4, "pricePerHour": 1 } ] }""", "instance 'x.large': unknown device 'nope'")]
    [InlineData("class.json", """{ "devices": [ { "id": "npu", "class": "npu", "peak": { "bf16": 1 }, "memoryBandwidthGBps": 1 } ] }""", "device 'npu': unknown class 'npu'")]
    [InlineData("format.json", """{ "devices": [ { "id": "l4", "peak": { "fp4": 1 } } ] }""", "device 'l4': unknown peak format 'fp4'")]
    public void LoadWithOverrides_MalformedFile_OneLineNamingFileAndEntry(string name, string json, string expected)
    {
        var file = Write(name, json);
        var e = Assert.Throws<CatalogException>(() => CatalogLoader.LoadWithOverrides(file));
        Assert.StartsWith(file + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void LoadWithOverrides_MissingFile_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => CatalogLoader.LoadWithOverrides(Path.Combine(_dir, "none.json")));
    }
}
