namespace Silica.Runtime.Cuda.Interop;

// Driver API entry points, resolved once. Names are the exported symbols: cuda.h (CUDA 12.6, checked against the
// #define table at its top) maps e.g. cuMemAlloc to cuMemAlloc_v2; the driver keeps exporting every versioned name.
// Types: CUresult = int, CUdevice = int, CUdeviceptr = unsigned long long, size_t = nuint, handles = IntPtr.
internal sealed unsafe partial class CudaDriver
{
    internal readonly delegate* unmanaged<uint, int> cuInit;
    internal readonly delegate* unmanaged<int*, int> cuDriverGetVersion;
    internal readonly delegate* unmanaged<int*, int> cuDeviceGetCount;
    internal readonly delegate* unmanaged<int*, int, int> cuDeviceGet;
    internal readonly delegate* unmanaged<byte*, int, int, int> cuDeviceGetName;
    internal readonly delegate* unmanaged<int*, int, int, int> cuDeviceGetAttribute;
    internal readonly delegate* unmanaged<nuint*, int, int> cuDeviceTotalMem_v2;
    internal readonly delegate* unmanaged<IntPtr*, int, int> cuDevicePrimaryCtxRetain;
    internal readonly delegate* unmanaged<int, int> cuDevicePrimaryCtxRelease_v2;
    internal readonly delegate* unmanaged<IntPtr, int> cuCtxSetCurrent;
    internal readonly delegate* unmanaged<nuint*, nuint*, int> cuMemGetInfo_v2;
    internal readonly delegate* unmanaged<ulong*, nuint, int> cuMemAlloc_v2;
    internal readonly delegate* unmanaged<ulong, int> cuMemFree_v2;
    internal readonly delegate* unmanaged<void**, nuint, uint, int> cuMemHostAlloc;
    internal readonly delegate* unmanaged<void*, int> cuMemFreeHost;
    internal readonly delegate* unmanaged<ulong, void*, nuint, int> cuMemcpyHtoD_v2;
    internal readonly delegate* unmanaged<void*, ulong, nuint, int> cuMemcpyDtoH_v2;
    internal readonly delegate* unmanaged<ulong, void*, nuint, IntPtr, int> cuMemcpyHtoDAsync_v2;
    internal readonly delegate* unmanaged<void*, ulong, nuint, IntPtr, int> cuMemcpyDtoHAsync_v2;
    internal readonly delegate* unmanaged<ulong, ulong, nuint, IntPtr, int> cuMemcpyDtoDAsync_v2;
    internal readonly delegate* unmanaged<ulong, byte, nuint, IntPtr, int> cuMemsetD8Async;
    internal readonly delegate* unmanaged<IntPtr*, uint, int> cuStreamCreate;
    internal readonly delegate* unmanaged<IntPtr, int> cuStreamDestroy_v2;
    internal readonly delegate* unmanaged<IntPtr, int> cuStreamSynchronize;
    internal readonly delegate* unmanaged<IntPtr, int, int> cuStreamBeginCapture_v2;
    internal readonly delegate* unmanaged<IntPtr, IntPtr*, int> cuStreamEndCapture;
    internal readonly delegate* unmanaged<IntPtr*, IntPtr, ulong, int> cuGraphInstantiateWithFlags;
    internal readonly delegate* unmanaged<IntPtr, int> cuGraphDestroy;
    internal readonly delegate* unmanaged<IntPtr, IntPtr, int> cuGraphLaunch;
    internal readonly delegate* unmanaged<IntPtr, int> cuGraphExecDestroy;
    internal readonly delegate* unmanaged<IntPtr*, uint, int> cuEventCreate;
    internal readonly delegate* unmanaged<IntPtr, IntPtr, int> cuEventRecord;
    internal readonly delegate* unmanaged<IntPtr, int> cuEventSynchronize;
    internal readonly delegate* unmanaged<float*, IntPtr, IntPtr, int> cuEventElapsedTime;
    internal readonly delegate* unmanaged<IntPtr, int> cuEventDestroy_v2;
    internal readonly delegate* unmanaged<IntPtr*, void*, int> cuModuleLoadData;
    internal readonly delegate* unmanaged<IntPtr, int> cuModuleUnload;
    internal readonly delegate* unmanaged<IntPtr*, IntPtr, byte*, int> cuModuleGetFunction;
    internal readonly delegate* unmanaged<IntPtr, int, int, int> cuFuncSetAttribute;
    internal readonly delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int> cuLaunchKernel;

    private CudaDriver()
    {
        cuInit = (delegate* unmanaged<uint, int>)Get("cuInit");
        cuDriverGetVersion = (delegate* unmanaged<int*, int>)Get("cuDriverGetVersion");
        cuDeviceGetCount = (delegate* unmanaged<int*, int>)Get("cuDeviceGetCount");
        cuDeviceGet = (delegate* unmanaged<int*, int, int>)Get("cuDeviceGet");
        cuDeviceGetName = (delegate* unmanaged<byte*, int, int, int>)Get("cuDeviceGetName");
        cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)Get("cuDeviceGetAttribute");
        cuDeviceTotalMem_v2 = (delegate* unmanaged<nuint*, int, int>)Get("cuDeviceTotalMem_v2");
        cuDevicePrimaryCtxRetain = (delegate* unmanaged<IntPtr*, int, int>)Get("cuDevicePrimaryCtxRetain");
        cuDevicePrimaryCtxRelease_v2 = (delegate* unmanaged<int, int>)Get("cuDevicePrimaryCtxRelease_v2");
        cuCtxSetCurrent = (delegate* unmanaged<IntPtr, int>)Get("cuCtxSetCurrent");
        cuMemGetInfo_v2 = (delegate* unmanaged<nuint*, nuint*, int>)Get("cuMemGetInfo_v2");
        cuMemAlloc_v2 = (delegate* unmanaged<ulong*, nuint, int>)Get("cuMemAlloc_v2");
        cuMemFree_v2 = (delegate* unmanaged<ulong, int>)Get("cuMemFree_v2");
        cuMemHostAlloc = (delegate* unmanaged<void**, nuint, uint, int>)Get("cuMemHostAlloc");
        cuMemFreeHost = (delegate* unmanaged<void*, int>)Get("cuMemFreeHost");
        cuMemcpyHtoD_v2 = (delegate* unmanaged<ulong, void*, nuint, int>)Get("cuMemcpyHtoD_v2");
        cuMemcpyDtoH_v2 = (delegate* unmanaged<void*, ulong, nuint, int>)Get("cuMemcpyDtoH_v2");
        cuMemcpyHtoDAsync_v2 = (delegate* unmanaged<ulong, void*, nuint, IntPtr, int>)Get("cuMemcpyHtoDAsync_v2");
        cuMemcpyDtoHAsync_v2 = (delegate* unmanaged<void*, ulong, nuint, IntPtr, int>)Get("cuMemcpyDtoHAsync_v2");
        cuMemcpyDtoDAsync_v2 = (delegate* unmanaged<ulong, ulong, nuint, IntPtr, int>)Get("cuMemcpyDtoDAsync_v2");
        cuMemsetD8Async = (delegate* unmanaged<ulong, byte, nuint, IntPtr, int>)Get("cuMemsetD8Async");
        cuStreamCreate = (delegate* unmanaged<IntPtr*, uint, int>)Get("cuStreamCreate");
        cuStreamDestroy_v2 = (delegate* unmanaged<IntPtr, int>)Get("cuStreamDestroy_v2");
        cuStreamSynchronize = (delegate* unmanaged<IntPtr, int>)Get("cuStreamSynchronize");
        cuStreamBeginCapture_v2 = (delegate* unmanaged<IntPtr, int, int>)Get("cuStreamBeginCapture_v2");
        cuStreamEndCapture = (delegate* unmanaged<IntPtr, IntPtr*, int>)Get("cuStreamEndCapture");
        cuGraphInstantiateWithFlags = (delegate* unmanaged<IntPtr*, IntPtr, ulong, int>)Get("cuGraphInstantiateWithFlags");
        cuGraphDestroy = (delegate* unmanaged<IntPtr, int>)Get("cuGraphDestroy");
        cuGraphLaunch = (delegate* unmanaged<IntPtr, IntPtr, int>)Get("cuGraphLaunch");
        cuGraphExecDestroy = (delegate* unmanaged<IntPtr, int>)Get("cuGraphExecDestroy");
        cuEventCreate = (delegate* unmanaged<IntPtr*, uint, int>)Get("cuEventCreate");
        cuEventRecord = (delegate* unmanaged<IntPtr, IntPtr, int>)Get("cuEventRecord");
        cuEventSynchronize = (delegate* unmanaged<IntPtr, int>)Get("cuEventSynchronize");
        cuEventElapsedTime = (delegate* unmanaged<float*, IntPtr, IntPtr, int>)Get("cuEventElapsedTime");
        cuEventDestroy_v2 = (delegate* unmanaged<IntPtr, int>)Get("cuEventDestroy_v2");
        cuModuleLoadData = (delegate* unmanaged<IntPtr*, void*, int>)Get("cuModuleLoadData");
        cuModuleUnload = (delegate* unmanaged<IntPtr, int>)Get("cuModuleUnload");
        cuModuleGetFunction = (delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)Get("cuModuleGetFunction");
        cuFuncSetAttribute = (delegate* unmanaged<IntPtr, int, int, int>)Get("cuFuncSetAttribute");
        cuLaunchKernel = (delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int>)Get("cuLaunchKernel");
    }

    private static IntPtr Get(string name) => CudaLibraries.Symbol(Library, name);
}
