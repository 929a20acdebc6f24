using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

// Enum values from the cuDNN 9 headers (9.6: cudnn_graph.h, cudnn_ops.h); the legacy API is frozen in cuDNN 9.
internal sealed partial class CuDnn
{
    /// <summary>cudnnDataType_t (cudnn_graph.h).</summary>
    internal enum DataType
    {
        Float = 0,
        Double = 1,
        Half = 2,
        Int8 = 3,
        Int32 = 4,
        UInt8 = 6,
        BFloat16 = 9,
        Int64 = 10,
        Boolean = 11,
        Fp8E4M3 = 12,
        Fp8E5M2 = 13,
    }

    /// <summary>cudnnTensorFormat_t (cudnn_graph.h).</summary>
    internal enum TensorFormat
    {
        NCHW = 0,
        NHWC = 1,
    }

    /// <summary>cudnnMathType_t (cudnn_graph.h).</summary>
    internal enum MathType
    {
        Default = 0,                    // CUDNN_DEFAULT_MATH
        TensorOp = 1,                   // CUDNN_TENSOR_OP_MATH
        TensorOpAllowConversion = 2,    // CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION (may run fp32 data through fp16/tf32 tensor cores)
        Fma = 3,                        // CUDNN_FMA_MATH (no tensor cores: exact fp32)
    }

    /// <summary>cudnnActivationMode_t (cudnn_graph.h).</summary>
    internal enum ActivationMode
    {
        Sigmoid = 0,
        Relu = 1,
        Tanh = 2,
        ClippedRelu = 3,
        Elu = 4,
        Identity = 5,
        Swish = 6,
    }

    /// <summary>cudnnPoolingMode_t (cudnn_ops.h).</summary>
    internal enum PoolingMode
    {
        Max = 0,
        AverageCountIncludePadding = 1,
        AverageCountExcludePadding = 2,
        MaxDeterministic = 3,
    }

    /// <summary>cudnnConvolutionFwdAlgo_t (cudnn_ops.h).</summary>
    internal enum ConvFwdAlgo
    {
        ImplicitGemm = 0,
        ImplicitPrecompGemm = 1,
        Gemm = 2,
        Direct = 3,
        Fft = 4,
        FftTiling = 5,
        Winograd = 6,
        WinogradNonfused = 7,
    }

    /// <summary>cudnnConvolutionBwdDataAlgo_t (cudnn_ops.h).</summary>
    internal enum ConvBwdDataAlgo
    {
        Algo0 = 0,
        Algo1 = 1,
        Fft = 2,
        FftTiling = 3,
        Winograd = 4,
        WinogradNonfused = 5,
    }

    // cudnnConvolutionMode_t (cudnn_graph.h): ONNX Conv is cross-correlation.
    private const int CrossCorrelation = 1;

    // cudnnNanPropagation_t (cudnn_graph.h).
    private const int NotPropagateNan = 0;

    /// <summary>
    /// cudnnConvolutionFwdAlgoPerf_t and cudnnConvolutionBwdDataAlgoPerf_t share this layout (cudnn_cnn.h):
    /// algo, status, time, [pad], size_t memory, determinism, mathType, int reserved[3], [pad] = 48 bytes.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct AlgoPerf
    {
        public int Algo;
        public int Status;
        public float Time;
        public nuint Memory;
        public int Determinism;
        public int MathType;
        public fixed int Reserved[3];
    }
}
