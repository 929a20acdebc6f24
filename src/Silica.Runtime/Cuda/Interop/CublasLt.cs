using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// A cuBLASLt handle. Matrices are column-major as cuBLAS defines them (a row-major ONNX MatMul Y = A·B is computed
/// as Yᵀ = Bᵀ·Aᵀ, or with <see cref="MatrixLayout.SetOrder"/>).
/// </summary>
internal sealed unsafe partial class CublasLt : SafeHandle
{
    private CublasLt(IntPtr h)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static CublasLt Create()
    {
        CudaDriver.Instance.EnsureCurrent();
        IntPtr h;
        CudaStatus.Check(Library, "cublasLtCreate", Api.Create(&h));
        return new CublasLt(h);
    }

    /// <summary>cublasLtGetVersion, e.g. 130100 for 13.1.0.</summary>
    public static long Version() => (long)Api.GetVersion();

    /// <summary>The best algorithm the heuristic offers for this problem; false when none fits (e.g. the workspace).</summary>
    public bool TryGetHeuristic(MatmulDesc desc, MatrixLayout a, MatrixLayout b, MatrixLayout c, MatrixLayout d, MatmulPreference preference, out MatmulAlgo algo, out ulong workspace)
    {
        CudaDriver.Instance.EnsureCurrent();
        HeuristicResult result;
        int returned;
        var code = Api.MatmulAlgoGetHeuristic(handle, desc.Raw, a.Raw, b.Raw, c.Raw, d.Raw, preference.Raw, 1, &result, &returned);
        if (code == StatusNotSupported || (code == 0 && (returned == 0 || result.State != 0)))
        {
            algo = default;
            workspace = 0;
            return false;
        }
        CudaStatus.Check(Library, "cublasLtMatmulAlgoGetHeuristic", code);
        algo = result.Algo;
        workspace = result.WorkspaceSize;
        return true;
    }

    /// <summary>D = alpha·op(A)·op(B) + beta·C, plus the descriptor's epilogue. alpha/beta are host pointers of the scale type.</summary>
    public void Matmul(MatmulDesc desc, void* alpha, ulong a, MatrixLayout aLayout, ulong b, MatrixLayout bLayout, void* beta, ulong c, MatrixLayout cLayout,
        ulong d, MatrixLayout dLayout, in MatmulAlgo algo, ulong workspace, ulong workspaceBytes, CudaStream stream)
    {
        CudaDriver.Instance.EnsureCurrent();
        fixed (MatmulAlgo* pAlgo = &algo)
        {
            var code = Api.Matmul(handle, desc.Raw, alpha, a, aLayout.Raw, b, bLayout.Raw, beta, c, cLayout.Raw, d, dLayout.Raw, pAlgo,
                workspace, (nuint)workspaceBytes, stream.Raw);
            CudaStatus.Check(Library, "cublasLtMatmul", code);
        }
    }

    private const int StatusNotSupported = 15; // CUBLAS_STATUS_NOT_SUPPORTED

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease() && _functions is { } api)
        {
            _ = api.Destroy(handle);
        }
        return true;
    }
}
