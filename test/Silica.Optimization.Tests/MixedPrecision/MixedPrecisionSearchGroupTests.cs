using Silica.Optimization.MixedPrecision;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;

namespace Silica.Optimization.Tests.MixedPrecision;

public sealed class MixedPrecisionSearchGroupTests
{
    [Fact]
    public void Groups_ResNet50Int8_BoundsProbesByGroupingConsecutiveLayers()
    {
        var original = QuantTestData.Zoo("resnet50");
        var lowered = QuantTestData.Copy(original);
        Quantizer.Quantize(lowered, new QuantizationOptions(QuantizationMode.Int8Static),
            QuantTestData.Synthetic(original, 1, seed: 1, new Dictionary<string, long> { ["batch"] = 1 }));

        var groups = MixedPrecisionSearch.Groups(original, lowered);

        Assert.True(groups.Count <= MixedPrecisionSearch.MaxProbes);
        Assert.Equal(54, groups.Sum(g => g.Count)); // 53 convolutions and the classifier Gemm
        Assert.Contains(groups, g => g.Count > 1);
    }
}
