using Silica.Runtime.Cuda.Kernels;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Kernels;

public class KernelHostMathTests
{
    [Fact]
    public void BroadcastLayout_PerChannelBias_MergesSpatialAxes()
    {
        var layout = BroadcastLayout.Create([2, 8, 5, 5], [[2, 8, 5, 5], [1, 8, 1, 1]]);
        Assert.Equal([2L, 8, 25], layout.Shape);
        Assert.Equal([200L, 25, 1], layout.Strides[0]);
        Assert.Equal([0L, 1, 0], layout.Strides[1]);
        Assert.True(layout.IsDense(0));
        Assert.False(layout.IsDense(1));
    }

    [Fact]
    public void BroadcastLayout_SameShapesAndScalar_CollapseToOneAxis()
    {
        var layout = BroadcastLayout.Create([4, 3, 2], [[4, 3, 2], [1], []]);
        Assert.Equal([24L], layout.Shape);
        Assert.True(layout.IsDense(0));
        Assert.True(layout.IsScalar(1));
        Assert.True(layout.IsScalar(2));
    }

    [Fact]
    public void BroadcastLayout_OuterProduct_KeepsBothAxes()
    {
        var layout = BroadcastLayout.Create([4, 3], [[4, 1], [3]]);
        Assert.Equal([4L, 3], layout.Shape);
        Assert.Equal([1L, 0], layout.Strides[0]);
        Assert.Equal([0L, 1], layout.Strides[1]);
    }

    [Fact]
    public void BroadcastLayout_IncompatibleShapes_Throws() =>
        Assert.Throws<ArgumentException>(() => BroadcastLayout.Create([4, 3], [[2, 3]]));

    [Theory]
    [InlineData(new long[] { 2, 3, 4, 5 }, new[] { 0, 2, 3, 1 }, new long[] { 2, 3, 20 }, new[] { 0, 2, 1 })]
    [InlineData(new long[] { 2, 7, 3, 8 }, new[] { 0, 2, 1, 3 }, new long[] { 2, 7, 3, 8 }, new[] { 0, 2, 1, 3 })]
    [InlineData(new long[] { 1, 6, 1, 4 }, new[] { 3, 0, 2, 1 }, new long[] { 6, 4 }, new[] { 1, 0 })]
    [InlineData(new long[] { 3, 4 }, new[] { 0, 1 }, new long[] { 12 }, new[] { 0 })]
    [InlineData(new long[] { 1, 1 }, new[] { 1, 0 }, new long[] { 1 }, new[] { 0 })]
    public void TransposeCoalesce_MergesAdjacentAxesAndDropsOnes(long[] shape, int[] perm, long[] expectShape, int[] expectPerm)
    {
        var (s, p) = TransposeKernel.Coalesce(shape, perm);
        Assert.Equal(expectShape, s);
        Assert.Equal(expectPerm, p);
    }

    [Fact]
    public void TransposeIsTiled_OnlyForLastTwoSwapped()
    {
        Assert.True(TransposeKernel.IsTiled([1, 0]));
        Assert.True(TransposeKernel.IsTiled([0, 2, 1]));
        Assert.False(TransposeKernel.IsTiled([0, 2, 1, 3]));
        Assert.False(TransposeKernel.IsTiled([2, 1, 0]));
    }

    [Fact]
    public void Transpose_NchwToNhwc_UsesTiledKernelWithBatchOnZ()
    {
        var p = new TestPlan();
        var step = new TransposeStep("t", p.Add(Silica.Onnx.Model.TensorDataType.Float16, 2, 3, 40, 40), p.Add(Silica.Onnx.Model.TensorDataType.Float16, 2, 40, 40, 3), [0, 2, 3, 1]);
        var launch = KernelEmitter.Emit(step, p.With(step).Build()).Single();
        Assert.Contains("transpose_tiled", launch.Entry, StringComparison.Ordinal);
        Assert.Equal(new Dim3(50, 1, 2), launch.Grid); // 1600 columns / 32, 3 rows → 1 tile, batch 2
        Assert.Equal(new Dim3(32, 8), launch.Block);
    }

    [Theory]
    [InlineData(0L, 1u)]
    [InlineData(1L, 1u)]
    [InlineData(256L, 1u)]
    [InlineData(257L, 2u)]
    [InlineData(1L << 40, LaunchGeometry.MaxLinearBlocks)]
    public void LaunchGeometry_Linear_IsNeverEmptyAndCapped(long work, uint blocks) =>
        Assert.Equal(blocks, LaunchGeometry.Linear(work).X);

    [Theory]
    [InlineData(1L, 768L, "WarpPerRow")]
    [InlineData(1L, 1025L, "BlockPerRow")]
    [InlineData(4L, 10L, "ThreadPerColumn")]
    public void Softmax_Choose_ByInnerAndAxis(long inner, long axis, string expected) =>
        Assert.Equal(expected, SoftmaxKernel.Choose(new SoftmaxStep("s", 0, 1, 2, axis, inner)).ToString());

    [Theory]
    [InlineData(1L, 100L, "WarpPerRow")]
    [InlineData(1L, 5000L, "BlockPerRow")]
    [InlineData(3L, 100L, "ThreadPerColumn")]
    public void Reduce_Choose_ByInnerAndLength(long inner, long reduced, string expected) =>
        Assert.Equal(expected, ReduceKernel.Choose(new ReduceStep("r", ReduceKind.Sum, 0, 1, 2, reduced, inner)).ToString());

    [Theory]
    [InlineData(64L, 64)]
    [InlineData(128L, 32)]
    [InlineData(40L, 64)]
    [InlineData(8192L, 1)]
    public void Attention_KeyTile_FitsSharedMemory(long headDim, int expected)
    {
        Assert.Equal(expected, AttentionKernel.KeyTile(headDim));
        Assert.True(2L * expected * headDim * 4 <= 48 * 1024 || expected == 1);
    }

    [Theory]
    [InlineData(1.0, "(1.0f)")]
    [InlineData(0.5, "(0.5f)")]
    [InlineData(1e-5, "(1E-05f)")]
    [InlineData(double.PositiveInfinity, "SILICA_INF")]
    [InlineData(double.NegativeInfinity, "(-SILICA_INF)")]
    public void CudaSource_Float_IsAValidCLiteral(double value, string expected) =>
        Assert.Equal(expected, CudaSource.Float(value));

    [Fact]
    public void ExprWriter_IntegerMode_UsesExactIntegerOps()
    {
        var e = new BinaryExpr(BinaryOp.Mod, new InputExpr(0), new ConstExpr(3));
        Assert.Equal("int_mod(v0, (3LL))", ExprWriter.Write(e, integer: true));
        Assert.Equal("fmodf(v0, (3.0f))", ExprWriter.Write(e, integer: false));
    }

    [Fact]
    public void Elementwise_SameShapeHalf_TakesVectorPathWithQuarterWork()
    {
        var p = new TestPlan();
        var x = p.Add(Silica.Onnx.Model.TensorDataType.Float16, 1024);
        var step = new ElementwiseStep("r", [x], p.Add(Silica.Onnx.Model.TensorDataType.Float16, 1024), new UnaryExpr(UnaryOp.Relu, new InputExpr(0)));
        var launch = KernelEmitter.Emit(step, p.With(step).Build()).Single();
        Assert.Contains("ld4_f(x0, j, a0)", launch.Source, StringComparison.Ordinal);
        Assert.Equal(1u, launch.Grid.X); // 256 vectors of 4
    }

    [Fact]
    public void Elementwise_Broadcast_BakesStrides()
    {
        var p = new TestPlan();
        var x = p.Add(Silica.Onnx.Model.TensorDataType.Float, 2, 8, 5, 5);
        var b = p.Add(Silica.Onnx.Model.TensorDataType.Float, 8, 1, 1);
        var step = new ElementwiseStep("add", [x, b], p.Add(Silica.Onnx.Model.TensorDataType.Float, 2, 8, 5, 5), new BinaryExpr(BinaryOp.Add, new InputExpr(0), new InputExpr(1)));
        var launch = KernelEmitter.Emit(step, p.With(step).Build()).Single();
        Assert.Contains("r % 25u", launch.Source, StringComparison.Ordinal);
        Assert.Contains("o1 += (i64)c * 1LL", launch.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("ld4_f", launch.Source, StringComparison.Ordinal);
    }
}
