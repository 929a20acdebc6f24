using Silica.Optimization.Quantization;

namespace Silica.Optimization.Tests.Quantization;

public sealed class QuantMathTests
{
    [Theory]
    [InlineData(1f, 0x38)]
    [InlineData(-1f, 0xB8)]
    [InlineData(448f, 0x7E)]
    [InlineData(1000f, 0x7E)] // saturates
    [InlineData(0.001953125f, 0x01)] // smallest subnormal, 2^-9
    [InlineData(0.0009765625f, 0x00)] // exactly half of it: ties to even, i.e. zero
    [InlineData(1.0625f, 0x38)] // halfway between 1 and 1.125: ties to even mantissa 0
    [InlineData(1.1875f, 0x3A)] // halfway between 1.125 and 1.25: ties to even mantissa 2
    public void Float8E4M3_Encode_RoundsToNearestEvenAndSaturates(float value, int bits)
    {
        Assert.Equal((byte)bits, Float8E4M3.Encode(value));
    }

    [Fact]
    public void Float8E4M3_DecodeEncode_RoundTripsEveryFiniteCode()
    {
        for (var b = 0; b < 256; b++)
        {
            if ((b & 0x7F) == 0x7F || b == 0x80)
            {
                continue; // NaN codes; negative zero encodes back as... negative zero, checked below
            }
            Assert.Equal((byte)b, Float8E4M3.Encode(Float8E4M3.Decode((byte)b)));
        }
        Assert.Equal(0x80, Float8E4M3.Encode(-0f));
    }

    [Fact]
    public void UInt8Asymmetric_ReluRange_HasZeroPointZero()
    {
        var (scale, zp) = Int8Math.UInt8Asymmetric(0, 2.55);
        Assert.Equal(0.01f, scale, 5);
        Assert.Equal(0, zp);
        var (s2, zp2) = Int8Math.UInt8Asymmetric(-1, 1);
        Assert.Equal(2 / 255f, s2, 6);
        Assert.Equal(128, zp2);
    }

    [Fact]
    public void PerChannelSymmetric_UsesEachChannelsOwnMaximum()
    {
        // Two output channels (axis 0) of 3 values each.
        float[] w = [1f, -0.5f, 0.25f, 10f, 5f, -10f];
        var (q, scales) = Int8Math.PerChannelSymmetric(w, [2, 3], 0);
        Assert.Equal([1f / 127, 10f / 127], scales);
        Assert.Equal([(sbyte)127, (sbyte)-64, (sbyte)32, (sbyte)127, (sbyte)64, (sbyte)-127], q);
    }

    [Fact]
    public void Bias_ScaleIsInputTimesWeightScale()
    {
        var (values, scales) = Int8Math.Bias([0.5f, -1f], 0.1f, [0.01f, 0.02f]);
        Assert.Equal(0.001f, scales[0], 6);
        Assert.Equal(500, values[0]);
        Assert.Equal(-500, values[1]);
    }
}
