using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

internal sealed partial class CublasLt
{
    /// <summary>cudaDataType_t, from library_types.h (CUDA 12.6).</summary>
    internal enum DataType
    {
        R_32F = 0,
        R_64F = 1,
        R_16F = 2,
        R_8I = 3,
        R_8U = 8,
        R_32I = 10,
        R_32U = 12,
        R_16BF = 14,
        R_64I = 24,
        R_8F_E4M3 = 28,
        R_8F_E5M2 = 29,
    }

    /// <summary>cublasComputeType_t, from cublas_api.h (CUDA 12.6).</summary>
    internal enum ComputeType
    {
        CUBLAS_COMPUTE_16F = 64,
        CUBLAS_COMPUTE_16F_PEDANTIC = 65,
        CUBLAS_COMPUTE_32F = 68,
        CUBLAS_COMPUTE_32F_PEDANTIC = 69,
        CUBLAS_COMPUTE_64F = 70,
        CUBLAS_COMPUTE_64F_PEDANTIC = 71,
        CUBLAS_COMPUTE_32I = 72,
        CUBLAS_COMPUTE_32I_PEDANTIC = 73,
        CUBLAS_COMPUTE_32F_FAST_16F = 74,
        CUBLAS_COMPUTE_32F_FAST_16BF = 75,
        CUBLAS_COMPUTE_32F_FAST_TF32 = 77,
    }

    /// <summary>cublasOperation_t, from cublas_api.h.</summary>
    internal enum Operation
    {
        N = 0,
        T = 1,
    }

    /// <summary>cublasLtOrder_t, from cublasLt.h (the two plain orders).</summary>
    internal enum Order
    {
        Col = 0,
        Row = 1,
    }

    /// <summary>
    /// cublasLtMatmulDescAttributes_t, from cublasLt.h (CUDA 12.6). The value's C type is in the comment; the
    /// <see cref="MatmulDesc.SetAttribute(MatmulDescAttribute, int)"/> overloads send the matching size.
    /// </summary>
    internal enum MatmulDescAttribute
    {
        COMPUTE_TYPE = 0,          // int32_t
        SCALE_TYPE = 1,            // int32_t
        POINTER_MODE = 2,          // int32_t
        TRANSA = 3,                // int32_t (cublasOperation_t)
        TRANSB = 4,                // int32_t
        TRANSC = 5,                // int32_t
        FILL_MODE = 6,             // int32_t
        EPILOGUE = 7,              // uint32_t
        BIAS_POINTER = 8,          // void* (device)
        BIAS_BATCH_STRIDE = 10,    // int64_t
        EPILOGUE_AUX_POINTER = 11, // void*
        EPILOGUE_AUX_LD = 12,      // int64_t
        EPILOGUE_AUX_BATCH_STRIDE = 13, // int64_t
        ALPHA_VECTOR_BATCH_STRIDE = 14, // int64_t
        SM_COUNT_TARGET = 15,      // int32_t
        A_SCALE_POINTER = 17,      // void*
        B_SCALE_POINTER = 18,      // void*
        C_SCALE_POINTER = 19,      // void*
        D_SCALE_POINTER = 20,      // void*
        AMAX_D_POINTER = 21,       // void*
        EPILOGUE_AUX_DATA_TYPE = 22, // int32_t
        EPILOGUE_AUX_SCALE_POINTER = 23, // void*
        EPILOGUE_AUX_AMAX_POINTER = 24,  // void*
        FAST_ACCUM = 25,           // int8_t (!)
        BIAS_DATA_TYPE = 26,       // int32_t
    }

    /// <summary>cublasLtEpilogue_t, from cublasLt.h (CUDA 12.6).</summary>
    internal enum Epilogue : uint
    {
        DEFAULT = 1,
        RELU = 2,
        RELU_AUX = RELU | 128,
        BIAS = 4,
        RELU_BIAS = RELU | BIAS,
        RELU_AUX_BIAS = RELU_AUX | BIAS,
        GELU = 32,
        GELU_AUX = GELU | 128,
        GELU_BIAS = GELU | BIAS,
        GELU_AUX_BIAS = GELU_AUX | BIAS,
    }

    /// <summary>cublasLtMatrixLayoutAttribute_t, from cublasLt.h.</summary>
    internal enum MatrixLayoutAttribute
    {
        TYPE = 0,                  // uint32_t
        ORDER = 1,                 // int32_t
        ROWS = 2,                  // uint64_t
        COLS = 3,                  // uint64_t
        LD = 4,                    // int64_t
        BATCH_COUNT = 5,           // int32_t
        STRIDED_BATCH_OFFSET = 6,  // int64_t
    }

    /// <summary>cublasLtMatmulPreferenceAttributes_t, from cublasLt.h.</summary>
    internal enum PreferenceAttribute
    {
        SEARCH_MODE = 0,           // uint32_t
        MAX_WORKSPACE_BYTES = 1,   // uint64_t
    }

    /// <summary>cublasLtMatmulAlgo_t: opaque, <c>uint64_t data[8]</c> (64 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MatmulAlgo
    {
        public fixed ulong Data[8];
    }

    /// <summary>cublasLtMatmulHeuristicResult_t (96 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct HeuristicResult
    {
        public MatmulAlgo Algo;
        public nuint WorkspaceSize;
        public int State;          // cublasStatus_t
        public float WavesCount;
        public fixed int Reserved[4];
    }
}
