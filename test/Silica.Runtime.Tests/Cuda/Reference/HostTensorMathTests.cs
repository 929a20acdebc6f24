using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Reference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class HostTensorMathTests
{
    [Theory]
    [InlineData(0x00, 0f)]
    [InlineData(0x01, 0.001953125f)] // smallest subnormal 2^-9
    [InlineData(0x07, 0.013671875f)] // largest subnormal 7·2^-9
    [InlineData(0x08, 0.015625f)] // smallest normal 2^-6
    [InlineData(0x38, 1f)]
    [InlineData(0x3C, 1.5f)]
    [InlineData(0x40, 2f)]
    [InlineData(0x7E, 448f)]
    [InlineData(0xB8, -1f)]
    [InlineData(0xFE, -448f)]
    public void Float8E4M3_TableValues_DecodeAndEncodeExactly(int bits, float value)
    {
        Assert.Equal(value, HostTensorMath.FromFloat8E4M3((byte)bits));
        Assert.Equal(bits, HostTensorMath.ToFloat8E4M3(value));
    }

    [Theory]
    [InlineData(1.0625f, 0x38)] // tie between 1 and 1.125: to even (1)
    [InlineData(1.1875f, 0x3A)] // tie between 1.125 and 1.25: to even (1.25)
    [InlineData(1.07f, 0x39)]
    [InlineData(0.0009765625f, 0x00)] // half the smallest subnormal: tie to even (0)
    [InlineData(0.00146484375f, 0x01)]
    [InlineData(0.0146484375f, 0x08)] // 7.5·2^-9: rounds up into the first normal
    [InlineData(464f, 0x7E)] // would round to 480, saturates to 448
    [InlineData(1e6f, 0x7E)]
    [InlineData(float.PositiveInfinity, 0x7E)]
    [InlineData(float.NegativeInfinity, 0xFE)]
    [InlineData(-0f, 0x80)]
    public void Float8E4M3_Encode_RoundsToNearestEvenAndSaturates(float value, int bits)
    {
        Assert.Equal(bits, HostTensorMath.ToFloat8E4M3(value));
    }

    [Fact]
    public void Float8E4M3_NaN_EncodesTo7FAndDecodesToNaN()
    {
        Assert.Equal(0x7F, HostTensorMath.ToFloat8E4M3(float.NaN));
        Assert.True(float.IsNaN(HostTensorMath.FromFloat8E4M3(0x7F)));
        Assert.True(float.IsNaN(HostTensorMath.FromFloat8E4M3(0xFF)));
    }

    [Fact]
    public void Float8E4M3_EveryFiniteCode_RoundTrips()
    {
        for (var b = 0; b < 256; b++)
        {
            if ((b & 0x7F) != 0x7F)
            {
                Assert.Equal(b, HostTensorMath.ToFloat8E4M3(HostTensorMath.FromFloat8E4M3((byte)b)));
            }
        }
    }

    [Theory]
    [InlineData(1.00390625f, 0x3F80)] // 1 + 2^-8: tie, to even (1)
    [InlineData(1.01171875f, 0x3F82)] // 1 + 3·2^-8: tie, to even (1 + 2^-6)
    [InlineData(1.0039072f, 0x3F81)] // just above the tie: up
    [InlineData(-2f, 0xC000)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    public void BFloat16_Encode_RoundsToNearestEven(float value, int bits)
    {
        Assert.Equal(bits, HostTensorMath.ToBFloat16(value));
    }

    [Theory]
    [InlineData(TensorDataType.Float16, 2049f, 2048f)]
    [InlineData(TensorDataType.Float16, 2051f, 2052f)]
    [InlineData(TensorDataType.Float16, 70000f, float.PositiveInfinity)]
    [InlineData(TensorDataType.BFloat16, 257f, 256f)]
    [InlineData(TensorDataType.BFloat16, 259f, 260f)]
    [InlineData(TensorDataType.Float8E4M3FN, 300f, 288f)]
    [InlineData(TensorDataType.Int8, 300f, 44f)]
    [InlineData(TensorDataType.Int32, -2.9f, -2f)]
    [InlineData(TensorDataType.Bool, 0.1f, 1f)]
    public void RoundTo_StoredValue_IsWhatTheDeviceWouldStore(TensorDataType type, float value, float stored)
    {
        Assert.Equal(stored, HostTensorMath.RoundTo(value, type));
    }

    [Fact]
    public void Int64Values_RoundTripExactlyThroughBytes()
    {
        long[] values = [long.MinValue, -1, 0, 9_007_199_254_740_993];
        Assert.Equal(values, HostTensorMath.DecodeInt64s(HostTensorMath.ToBytes(values, TensorDataType.Int64), TensorDataType.Int64));
        Assert.Equal([0, -1, 0, 1], HostTensorMath.DecodeInt64s(HostTensorMath.ToBytes(values, TensorDataType.Int32), TensorDataType.Int32));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.9, 0.9999589021219005)]
    [InlineData(3.1, 0.9999883513426328)]
    [InlineData(-4.0, -0.9999999845827421)]
    public void Erf_KnownValues(double x, double erf)
    {
        Assert.Equal(erf, ScalarMath.Erf(x), 12);
    }
}
