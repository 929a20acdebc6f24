using Silica.Hardware;
using Silica.Prediction.Priors;

namespace Silica.Prediction.Tests.Priors;

public sealed class PriorTableTests
{
    [Fact]
    public void Default_HasEveryDeviceClass_WithCitations()
    {
        foreach (var cls in Enum.GetValues<DeviceClass>())
        {
            var prior = PriorTable.Default.For(cls);
            Assert.InRange(prior.MemoryEfficiency, 0.05, 1);
            Assert.InRange(prior.Spread, 0.1, 1.5);
            Assert.NotEmpty(prior.Citations);
            Assert.All(prior.Citations, c => Assert.True(PriorTable.Default.Citations.ContainsKey(c), $"citation '{c}' of {cls} is not defined"));
        }
    }

    [Fact]
    public void Parse_MissingKey_NamesIt()
    {
        var e = Assert.Throws<FormatException>(() => PriorTable.Parse("""{ "classes": { "gpu": { "compute": { "gemm": 0.5, "conv": 0.5, "depthwise": 0.1, "vector": 0.1 } } } }"""));
        Assert.Contains("memoryEfficiency", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EfficiencyAboveOne_Rejected()
    {
        var e = Assert.Throws<FormatException>(() => PriorTable.Parse("""
            { "classes": { "gpu": { "compute": { "gemm": 1.5, "conv": 0.5, "depthwise": 0.1, "vector": 0.1 }, "memoryEfficiency": 0.7,
              "halfEfficiencyMflop": 1, "kernelOverheadUs": 1, "fixedOverheadUs": 1, "parallelEfficiency": 1, "spread": 0.3 } } }
            """));
        Assert.Contains("gemm", e.Message, StringComparison.Ordinal);
    }
}
