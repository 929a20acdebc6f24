namespace Silica.Runtime.Cuda.Interop;

// cuBLASLt entry points; signatures from cublasLt.h (CUDA 12.6). cublasStatus_t = int, handles and descriptors are
// pointers, cudaDataType/cublasComputeType_t/attribute enums are int, size_t = nuint.
internal sealed unsafe partial class CublasLt
{
    internal const string Library = "cublasLt";

    private static Functions? _functions;

    internal static Functions Api => _functions ??= new Functions();

    internal sealed class Functions
    {
        public readonly delegate* unmanaged<IntPtr*, int> Create = (delegate* unmanaged<IntPtr*, int>)Get("cublasLtCreate");
        public readonly delegate* unmanaged<IntPtr, int> Destroy = (delegate* unmanaged<IntPtr, int>)Get("cublasLtDestroy");
        public readonly delegate* unmanaged<nuint> GetVersion = (delegate* unmanaged<nuint>)Get("cublasLtGetVersion");
        public readonly delegate* unmanaged<IntPtr*, int, int, int> MatmulDescCreate = (delegate* unmanaged<IntPtr*, int, int, int>)Get("cublasLtMatmulDescCreate");
        public readonly delegate* unmanaged<IntPtr, int> MatmulDescDestroy = (delegate* unmanaged<IntPtr, int>)Get("cublasLtMatmulDescDestroy");
        public readonly delegate* unmanaged<IntPtr, int, void*, nuint, int> MatmulDescSetAttribute = (delegate* unmanaged<IntPtr, int, void*, nuint, int>)Get("cublasLtMatmulDescSetAttribute");
        public readonly delegate* unmanaged<IntPtr*, int, ulong, ulong, long, int> MatrixLayoutCreate = (delegate* unmanaged<IntPtr*, int, ulong, ulong, long, int>)Get("cublasLtMatrixLayoutCreate");
        public readonly delegate* unmanaged<IntPtr, int> MatrixLayoutDestroy = (delegate* unmanaged<IntPtr, int>)Get("cublasLtMatrixLayoutDestroy");
        public readonly delegate* unmanaged<IntPtr, int, void*, nuint, int> MatrixLayoutSetAttribute = (delegate* unmanaged<IntPtr, int, void*, nuint, int>)Get("cublasLtMatrixLayoutSetAttribute");
        public readonly delegate* unmanaged<IntPtr*, int> MatmulPreferenceCreate = (delegate* unmanaged<IntPtr*, int>)Get("cublasLtMatmulPreferenceCreate");
        public readonly delegate* unmanaged<IntPtr, int> MatmulPreferenceDestroy = (delegate* unmanaged<IntPtr, int>)Get("cublasLtMatmulPreferenceDestroy");
        public readonly delegate* unmanaged<IntPtr, int, void*, nuint, int> MatmulPreferenceSetAttribute = (delegate* unmanaged<IntPtr, int, void*, nuint, int>)Get("cublasLtMatmulPreferenceSetAttribute");

        // (handle, desc, Adesc, Bdesc, Cdesc, Ddesc, pref, requested, results[], returned*)
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, HeuristicResult*, int*, int> MatmulAlgoGetHeuristic =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, HeuristicResult*, int*, int>)Get("cublasLtMatmulAlgoGetHeuristic");

        // (handle, desc, alpha, A, Adesc, B, Bdesc, beta, C, Cdesc, D, Ddesc, algo*, workspace, workspaceBytes, stream)
        public readonly delegate* unmanaged<IntPtr, IntPtr, void*, ulong, IntPtr, ulong, IntPtr, void*, ulong, IntPtr, ulong, IntPtr, MatmulAlgo*, ulong, nuint, IntPtr, int> Matmul =
            (delegate* unmanaged<IntPtr, IntPtr, void*, ulong, IntPtr, ulong, IntPtr, void*, ulong, IntPtr, ulong, IntPtr, MatmulAlgo*, ulong, nuint, IntPtr, int>)Get("cublasLtMatmul");

        private static IntPtr Get(string name) => CudaLibraries.Symbol(Library, name);
    }
}
