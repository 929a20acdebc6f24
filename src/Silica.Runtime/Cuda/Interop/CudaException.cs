namespace Silica.Runtime.Cuda.Interop;

/// <summary>A CUDA library call failed, or a CUDA library could not be used.</summary>
internal sealed class CudaException : Exception
{
    public CudaException(string library, int status, string message)
        : base(message)
    {
        Library = library;
        Status = status;
    }

    /// <summary>"cuda", "nvrtc", "cublasLt", "cublas", "cudnn" or "nvml".</summary>
    public string Library { get; }

    /// <summary>The library's own status code (CUresult, nvrtcResult, cublasStatus_t, cudnnStatus_t, nvmlReturn_t).</summary>
    public int Status { get; }
}
