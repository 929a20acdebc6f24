using Silica.Runtime.Cuda.Kernels;

namespace Silica.Runtime.Tests.Cuda.Kernels;

public class MoveKernelWideningTests
{
    [Fact]
    public void HeadTranspose_OfHalfs_MovesSixteenBytesPerThread()
    {
        // [B, S, H, D] → [B, H, S, D] with D = 64 halfs: the innermost axis is contiguous on both sides.
        var layout = BroadcastLayout.FromStrides([2, 12, 128, 64], [128 * 12 * 64, 64, 12 * 64, 1]);
        var (type, width) = MoveKernel.Widen("unsigned short", layout, 0);
        Assert.Equal(("uint4", 8L), (type, width));

        var launch = MoveKernel.Gathered("transpose", "unsigned short", layout, 0, 2 * 12 * 128 * 64, 0, 1);
        Assert.Contains("uint4", launch.Source, StringComparison.Ordinal);
        Assert.Equal(2L * 12 * 128 * 64 / 8, ((Int64Arg)launch.Args[2]).Value);
    }

    [Theory]
    [InlineData(new long[] { 4, 6 }, new long[] { 1, 4 }, 0L)]      // innermost axis strided: no widening
    [InlineData(new long[] { 4, 6 }, new long[] { 6, 1 }, 3L)]      // base offset not a multiple of the width
    [InlineData(new long[] { 4, 3 }, new long[] { 3, 1 }, 0L)]      // innermost length 3: nothing divides it
    public void Widen_RefusesWhenStridesOrOffsetsDoNotAllowIt(long[] shape, long[] strides, long baseOffset)
    {
        var (_, width) = MoveKernel.Widen("unsigned int", BroadcastLayout.FromStrides(shape, strides), baseOffset);
        Assert.True(width == 1 || (shape[^1] % width == 0 && baseOffset % width == 0 && strides[0] % width == 0));
        if (baseOffset == 3 || shape[^1] == 3 || strides[^1] != 1)
        {
            Assert.Equal(1L, width);
        }
    }
}
