using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// A classic cuBLAS handle, for the batched GEMMs cuBLASLt lacks (pointer arrays). Column-major as cuBLAS defines
/// it. Signatures from cublas_api.h (CUDA 12.6); data and compute types are <see cref="CublasLt.DataType"/> and
/// <see cref="CublasLt.ComputeType"/>.
/// </summary>
internal sealed unsafe class Cublas : SafeHandle
{
    internal const string Library = "cublas";

    /// <summary>cublasMath_t, from cublas_api.h.</summary>
    internal enum MathMode
    {
        Default = 0,               // CUBLAS_DEFAULT_MATH
        TensorOp = 1,              // CUBLAS_TENSOR_OP_MATH (deprecated)
        Pedantic = 2,              // CUBLAS_PEDANTIC_MATH
        Tf32TensorOp = 3,          // CUBLAS_TF32_TENSOR_OP_MATH
        DisallowReducedPrecisionReduction = 16, // CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION (a flag)
    }

    /// <summary>cublasGemmAlgo_t, from cublas_api.h.</summary>
    internal enum GemmAlgo
    {
        Default = -1,              // CUBLAS_GEMM_DEFAULT
        DefaultTensorOp = 99,      // CUBLAS_GEMM_DEFAULT_TENSOR_OP
    }

    private static Functions? _functions;

    private static Functions Api => _functions ??= new Functions();

    private Cublas(IntPtr h)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static Cublas Create()
    {
        CudaDriver.Instance.EnsureCurrent();
        IntPtr h;
        CudaStatus.Check(Library, "cublasCreate_v2", Api.Create(&h));
        return new Cublas(h);
    }

    public void SetStream(CudaStream stream) =>
        CudaStatus.Check(Library, "cublasSetStream_v2", Api.SetStream(handle, stream.Raw));

    public void SetMathMode(MathMode mode) =>
        CudaStatus.Check(Library, "cublasSetMathMode", Api.SetMathMode(handle, (int)mode));

    /// <summary>A caller-owned workspace; with one set, cuBLAS allocates nothing itself, which CUDA graph capture needs.</summary>
    public void SetWorkspace(ulong workspace, ulong bytes) =>
        CudaStatus.Check(Library, "cublasSetWorkspace_v2", Api.SetWorkspace(handle, workspace, (nuint)bytes));

    /// <summary>C[i] = alpha·op(A[i])·op(B[i]) + beta·C[i]; the arrays are device arrays of device pointers.</summary>
    public void GemmBatchedEx(CublasLt.Operation transA, CublasLt.Operation transB, int m, int n, int k, void* alpha,
        ulong aArray, CublasLt.DataType aType, int lda, ulong bArray, CublasLt.DataType bType, int ldb, void* beta,
        ulong cArray, CublasLt.DataType cType, int ldc, int batchCount, CublasLt.ComputeType compute, GemmAlgo algo = GemmAlgo.Default)
    {
        CudaDriver.Instance.EnsureCurrent();
        var code = Api.GemmBatchedEx(handle, (int)transA, (int)transB, m, n, k, alpha, aArray, (int)aType, lda, bArray, (int)bType, ldb,
            beta, cArray, (int)cType, ldc, batchCount, (int)compute, (int)algo);
        CudaStatus.Check(Library, "cublasGemmBatchedEx", code);
    }

    /// <summary>Strided batch: matrix i of A starts at a + i·strideA elements, likewise B and C.</summary>
    public void GemmStridedBatchedEx(CublasLt.Operation transA, CublasLt.Operation transB, int m, int n, int k, void* alpha,
        ulong a, CublasLt.DataType aType, int lda, long strideA, ulong b, CublasLt.DataType bType, int ldb, long strideB, void* beta,
        ulong c, CublasLt.DataType cType, int ldc, long strideC, int batchCount, CublasLt.ComputeType compute, GemmAlgo algo = GemmAlgo.Default)
    {
        CudaDriver.Instance.EnsureCurrent();
        var code = Api.GemmStridedBatchedEx(handle, (int)transA, (int)transB, m, n, k, alpha, a, (int)aType, lda, strideA, b, (int)bType, ldb,
            strideB, beta, c, (int)cType, ldc, strideC, batchCount, (int)compute, (int)algo);
        CudaStatus.Check(Library, "cublasGemmStridedBatchedEx", code);
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease() && _functions is { } api)
        {
            _ = api.Destroy(handle);
        }
        return true;
    }

    private sealed class Functions
    {
        public readonly delegate* unmanaged<IntPtr*, int> Create = (delegate* unmanaged<IntPtr*, int>)Get("cublasCreate_v2");
        public readonly delegate* unmanaged<IntPtr, int> Destroy = (delegate* unmanaged<IntPtr, int>)Get("cublasDestroy_v2");
        public readonly delegate* unmanaged<IntPtr, IntPtr, int> SetStream = (delegate* unmanaged<IntPtr, IntPtr, int>)Get("cublasSetStream_v2");
        public readonly delegate* unmanaged<IntPtr, int, int> SetMathMode = (delegate* unmanaged<IntPtr, int, int>)Get("cublasSetMathMode");
        public readonly delegate* unmanaged<IntPtr, ulong, nuint, int> SetWorkspace = (delegate* unmanaged<IntPtr, ulong, nuint, int>)Get("cublasSetWorkspace_v2");

        // (handle, transa, transb, m, n, k, alpha, Aarray, Atype, lda, Barray, Btype, ldb, beta, Carray, Ctype, ldc, batchCount, computeType, algo)
        public readonly delegate* unmanaged<IntPtr, int, int, int, int, int, void*, ulong, int, int, ulong, int, int, void*, ulong, int, int, int, int, int, int> GemmBatchedEx =
            (delegate* unmanaged<IntPtr, int, int, int, int, int, void*, ulong, int, int, ulong, int, int, void*, ulong, int, int, int, int, int, int>)Get("cublasGemmBatchedEx");

        // (handle, transa, transb, m, n, k, alpha, A, Atype, lda, strideA, B, Btype, ldb, strideB, beta, C, Ctype, ldc, strideC, batchCount, computeType, algo)
        public readonly delegate* unmanaged<IntPtr, int, int, int, int, int, void*, ulong, int, int, long, ulong, int, int, long, void*, ulong, int, int, long, int, int, int, int> GemmStridedBatchedEx =
            (delegate* unmanaged<IntPtr, int, int, int, int, int, void*, ulong, int, int, long, ulong, int, int, long, void*, ulong, int, int, long, int, int, int, int>)Get("cublasGemmStridedBatchedEx");

        private static IntPtr Get(string name) => CudaLibraries.Symbol(Library, name);
    }
}
