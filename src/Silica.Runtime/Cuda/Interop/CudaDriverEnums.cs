namespace Silica.Runtime.Cuda.Interop;

// Values from cuda.h (CUDA 12.6 header; these blocks are append-only across releases).

/// <summary>CUdevice_attribute (the few we read).</summary>
internal enum CuDeviceAttribute
{
    MultiprocessorCount = 16,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
    MaxSharedMemoryPerBlockOptin = 97,
}

/// <summary>Flags and modes from cuda.h: CUstream_flags, CUevent_flags, CU_MEMHOSTALLOC_*, CUstreamCaptureMode, CUfunction_attribute.</summary>
internal static class CuFlags
{
    public const uint StreamNonBlocking = 0x1;          // CU_STREAM_NON_BLOCKING
    public const uint EventDefault = 0x0;               // CU_EVENT_DEFAULT
    public const uint EventDisableTiming = 0x2;         // CU_EVENT_DISABLE_TIMING
    public const uint MemHostAllocPortable = 0x1;       // CU_MEMHOSTALLOC_PORTABLE
    public const int StreamCaptureModeGlobal = 0;       // CU_STREAM_CAPTURE_MODE_GLOBAL
    public const int StreamCaptureModeThreadLocal = 1;  // CU_STREAM_CAPTURE_MODE_THREAD_LOCAL
    public const int FuncAttributeMaxDynamicSharedSizeBytes = 8; // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
}

/// <summary>CUresult values we act on.</summary>
internal static class CuResult
{
    public const int Success = 0;               // CUDA_SUCCESS
    public const int ErrorDeinitialized = 4;    // CUDA_ERROR_DEINITIALIZED
    public const int ErrorStubLibrary = 34;     // CUDA_ERROR_STUB_LIBRARY
    public const int ErrorNoDevice = 100;       // CUDA_ERROR_NO_DEVICE
    public const int ErrorNotReady = 600;       // CUDA_ERROR_NOT_READY
}
