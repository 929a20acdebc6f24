using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Tests.Cuda.Interop;

// Sizes and values pinned to the CUDA 12.6 / cuDNN 9.6 headers; a mismatch here would only show on a GPU otherwise.
public sealed class InteropLayoutTests
{
    [Fact]
    public void MatmulAlgo_Is64Bytes() => Assert.Equal(64, Unsafe.SizeOf<CublasLt.MatmulAlgo>());

    [Fact]
    public void HeuristicResult_Is96Bytes_WithWorkspaceAfterAlgo()
    {
        Assert.Equal(96, Unsafe.SizeOf<CublasLt.HeuristicResult>());
        Assert.Equal(64, (int)Marshal.OffsetOf<CublasLt.HeuristicResult>(nameof(CublasLt.HeuristicResult.WorkspaceSize)));
    }

    [Fact]
    public void CudnnAlgoPerf_Is48Bytes_WithMemoryAt16()
    {
        Assert.Equal(48, Unsafe.SizeOf<CuDnn.AlgoPerf>());
        Assert.Equal(16, (int)Marshal.OffsetOf<CuDnn.AlgoPerf>(nameof(CuDnn.AlgoPerf.Memory)));
    }

    [Theory]
    [InlineData((int)CublasLt.DataType.R_32F, 0)]
    [InlineData((int)CublasLt.DataType.R_16F, 2)]
    [InlineData((int)CublasLt.DataType.R_16BF, 14)]
    [InlineData((int)CublasLt.DataType.R_8F_E4M3, 28)]
    [InlineData((int)CublasLt.DataType.R_8F_E5M2, 29)]
    public void CudaDataType_MatchesLibraryTypesHeader(int type, int value) => Assert.Equal(value, type);

    [Theory]
    [InlineData((int)CublasLt.ComputeType.CUBLAS_COMPUTE_16F, 64)]
    [InlineData((int)CublasLt.ComputeType.CUBLAS_COMPUTE_32F, 68)]
    [InlineData((int)CublasLt.ComputeType.CUBLAS_COMPUTE_32F_FAST_16F, 74)]
    [InlineData((int)CublasLt.ComputeType.CUBLAS_COMPUTE_32F_FAST_TF32, 77)]
    public void ComputeType_MatchesCublasApiHeader(int type, int value) => Assert.Equal(value, type);

    [Theory]
    [InlineData((int)CublasLt.MatmulDescAttribute.TRANSA, 3)]
    [InlineData((int)CublasLt.MatmulDescAttribute.EPILOGUE, 7)]
    [InlineData((int)CublasLt.MatmulDescAttribute.BIAS_POINTER, 8)]
    [InlineData((int)CublasLt.MatmulDescAttribute.A_SCALE_POINTER, 17)]
    [InlineData((int)CublasLt.MatmulDescAttribute.D_SCALE_POINTER, 20)]
    [InlineData((int)CublasLt.MatmulDescAttribute.FAST_ACCUM, 25)]
    [InlineData((int)CublasLt.MatmulDescAttribute.BIAS_DATA_TYPE, 26)]
    public void MatmulDescAttribute_MatchesCublasLtHeader(int attr, int value) => Assert.Equal(value, attr);

    [Theory]
    [InlineData((uint)CublasLt.Epilogue.DEFAULT, 1u)]
    [InlineData((uint)CublasLt.Epilogue.RELU_BIAS, 6u)]
    [InlineData((uint)CublasLt.Epilogue.GELU, 32u)]
    [InlineData((uint)CublasLt.Epilogue.GELU_BIAS, 36u)]
    public void Epilogue_MatchesCublasLtHeader(uint epilogue, uint value) => Assert.Equal(value, epilogue);

    [Fact]
    public void CudnnEnums_MatchHeaders()
    {
        Assert.Equal(2, (int)CuDnn.MathType.TensorOpAllowConversion);
        Assert.Equal(5, (int)CuDnn.ActivationMode.Identity);
        Assert.Equal(3, (int)CuDnn.ActivationMode.ClippedRelu);
        Assert.Equal(1, (int)CuDnn.ConvFwdAlgo.ImplicitPrecompGemm);
        Assert.Equal(2, (int)CuDnn.PoolingMode.AverageCountExcludePadding);
        Assert.Equal(9, (int)CuDnn.DataType.BFloat16);
        Assert.Equal(1, (int)CuDnn.TensorFormat.NHWC);
    }

    [Fact]
    public void DriverEnums_MatchCudaHeader()
    {
        Assert.Equal(16, (int)CuDeviceAttribute.MultiprocessorCount);
        Assert.Equal(75, (int)CuDeviceAttribute.ComputeCapabilityMajor);
        Assert.Equal(1, CuFlags.StreamCaptureModeThreadLocal);
        Assert.Equal(8, CuFlags.FuncAttributeMaxDynamicSharedSizeBytes);
    }

    [Fact]
    public void Best_SkipsFailedAndTooLargeAlgorithms()
    {
        CuDnn.AlgoPerf[] perf =
        [
            new() { Algo = 6, Status = 3000, Memory = 0 },
            new() { Algo = 7, Status = 0, Memory = 1 << 30 },
            new() { Algo = 1, Status = 0, Memory = 4096 },
        ];

        Assert.Equal(1, CuDnn.Best(perf, 1 << 20, "test").Algo);
        var e = Assert.Throws<CudaException>(() => CuDnn.Best(perf, 100, "test"));
        Assert.Equal("cudnn", e.Library);
    }
}
