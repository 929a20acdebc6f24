using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Tests.Tensors;

public sealed class TensorTests
{
    [Fact]
    public void Allocate_Shape_ZeroedWithMatchingSizes()
    {
        using var t = Tensor.Allocate(TensorDataType.Float, [2, 3]);

        Assert.Equal(6, t.ElementCount);
        Assert.Equal(24, t.ByteLength);
        Assert.Equal(2, t.Rank);
        Assert.All(t.AsFloats().ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal("float[2,3]", t.ToString());
    }

    [Fact]
    public void Reshape_WithinCapacity_KeepsBufferAndChangesViews()
    {
        using var t = Tensor.Allocate(TensorDataType.Int64, [4, 2]);
        t.AsInt64s().Fill(7);
        var before = t.DataPointer;

        t.Reshape(1, 2);

        Assert.Equal(before, t.DataPointer);
        Assert.Equal(2, t.AsInt64s().Length);
        Assert.Equal(64, t.Capacity);
        Assert.Throws<ArgumentException>(() => t.Reshape(5, 2));
    }

    [Fact]
    public void FromArray_SharesCallerArray()
    {
        var data = new float[] { 1, 2, 3, 4 };
        using var t = Tensor.FromArray(data, [2, 2]);

        t.AsFloats()[3] = 42;

        Assert.Equal(42, data[3]);
        Assert.Equal(TensorDataType.Float, t.ElementType);
    }

    [Fact]
    public void FromArray_LengthMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], [2, 2]));

        Assert.StartsWith("5 elements do not fill shape [2,2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMemory_TooSmall_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromMemory(TensorDataType.Float, new byte[15], [2, 2]));

        Assert.StartsWith("float[2,2] needs 16 bytes; the memory holds 15", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsFloats_WrongType_Throws()
    {
        using var t = Tensor.Allocate(TensorDataType.Int64, [2]);

        Assert.Throws<InvalidOperationException>(() => t.AsFloats());
        Assert.Equal(2, t.AsSpan<double>().Length);
    }

    [Fact]
    public void AllocateNative_WriteAndRead_RoundTrips()
    {
        using var t = Tensor.AllocateNative(TensorDataType.Float, [3]);
        t.AsFloats()[2] = 1.5f;

        Assert.Equal(1.5f, t.AsFloats()[2]);
        Assert.Equal(0, t.DataPointer % 64);
    }

    [Theory]
    [InlineData(new long[] { -1, 2 })]
    [InlineData(new long[] { long.MaxValue, 2 })]
    public void Allocate_BadShape_Throws(long[] shape)
    {
        Assert.ThrowsAny<ArgumentException>(() => Tensor.Allocate(TensorDataType.Float, shape));
    }

    [Fact]
    public void Allocate_String_NotSupported()
    {
        Assert.Throws<NotSupportedException>(() => Tensor.Allocate(TensorDataType.String, [1]));
    }

    [Fact]
    public void DataPointer_AfterDispose_Throws()
    {
        var t = Tensor.Rent(TensorDataType.Float, [4]);
        t.Dispose();

        Assert.Throws<ObjectDisposedException>(() => t.DataPointer);
    }
}
