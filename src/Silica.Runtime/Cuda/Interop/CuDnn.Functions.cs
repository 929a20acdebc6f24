namespace Silica.Runtime.Cuda.Interop;

// cuDNN entry points (legacy API, still exported by cuDNN 9); signatures from cudnn_graph.h, cudnn_ops.h and
// cudnn_cnn.h (9.6). cudnnStatus_t and all enums are int; descriptors and handles are pointers; size_t = nuint;
// device data pointers are passed as ulong.
internal sealed unsafe partial class CuDnn
{
    internal const string Library = "cudnn";

    private static Functions? _functions;

    internal static Functions Api => _functions ??= new Functions();

    internal sealed class Functions
    {
        public readonly delegate* unmanaged<IntPtr*, int> Create = (delegate* unmanaged<IntPtr*, int>)Get("cudnnCreate");
        public readonly delegate* unmanaged<IntPtr, int> Destroy = (delegate* unmanaged<IntPtr, int>)Get("cudnnDestroy");
        public readonly delegate* unmanaged<IntPtr, IntPtr, int> SetStream = (delegate* unmanaged<IntPtr, IntPtr, int>)Get("cudnnSetStream");
        public readonly delegate* unmanaged<nuint> GetVersion = (delegate* unmanaged<nuint>)Get("cudnnGetVersion");

        public readonly delegate* unmanaged<IntPtr*, int> CreateTensorDescriptor = (delegate* unmanaged<IntPtr*, int>)Get("cudnnCreateTensorDescriptor");
        public readonly delegate* unmanaged<IntPtr, int, int, int, int, int, int, int> SetTensor4dDescriptor = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, int>)Get("cudnnSetTensor4dDescriptor");
        public readonly delegate* unmanaged<IntPtr, int, int, int*, int*, int> SetTensorNdDescriptor = (delegate* unmanaged<IntPtr, int, int, int*, int*, int>)Get("cudnnSetTensorNdDescriptor");
        public readonly delegate* unmanaged<IntPtr, int> DestroyTensorDescriptor = (delegate* unmanaged<IntPtr, int>)Get("cudnnDestroyTensorDescriptor");

        public readonly delegate* unmanaged<IntPtr*, int> CreateFilterDescriptor = (delegate* unmanaged<IntPtr*, int>)Get("cudnnCreateFilterDescriptor");
        // (desc, dataType, format, k, c, h, w): note dataType before format, unlike the tensor setter.
        public readonly delegate* unmanaged<IntPtr, int, int, int, int, int, int, int> SetFilter4dDescriptor = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, int>)Get("cudnnSetFilter4dDescriptor");
        public readonly delegate* unmanaged<IntPtr, int> DestroyFilterDescriptor = (delegate* unmanaged<IntPtr, int>)Get("cudnnDestroyFilterDescriptor");

        public readonly delegate* unmanaged<IntPtr*, int> CreateConvolutionDescriptor = (delegate* unmanaged<IntPtr*, int>)Get("cudnnCreateConvolutionDescriptor");
        // (desc, pad_h, pad_w, u, v, dilation_h, dilation_w, mode, computeType)
        public readonly delegate* unmanaged<IntPtr, int, int, int, int, int, int, int, int, int> SetConvolution2dDescriptor = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, int, int, int>)Get("cudnnSetConvolution2dDescriptor");
        public readonly delegate* unmanaged<IntPtr, int, int> SetConvolutionGroupCount = (delegate* unmanaged<IntPtr, int, int>)Get("cudnnSetConvolutionGroupCount");
        public readonly delegate* unmanaged<IntPtr, int, int> SetConvolutionMathType = (delegate* unmanaged<IntPtr, int, int>)Get("cudnnSetConvolutionMathType");
        public readonly delegate* unmanaged<IntPtr, int> DestroyConvolutionDescriptor = (delegate* unmanaged<IntPtr, int>)Get("cudnnDestroyConvolutionDescriptor");

        public readonly delegate* unmanaged<IntPtr*, int> CreateActivationDescriptor = (delegate* unmanaged<IntPtr*, int>)Get("cudnnCreateActivationDescriptor");
        public readonly delegate* unmanaged<IntPtr, int, int, double, int> SetActivationDescriptor = (delegate* unmanaged<IntPtr, int, int, double, int>)Get("cudnnSetActivationDescriptor");
        public readonly delegate* unmanaged<IntPtr, int> DestroyActivationDescriptor = (delegate* unmanaged<IntPtr, int>)Get("cudnnDestroyActivationDescriptor");

        public readonly delegate* unmanaged<IntPtr*, int> CreatePoolingDescriptor = (delegate* unmanaged<IntPtr*, int>)Get("cudnnCreatePoolingDescriptor");
        // (desc, mode, nanOpt, windowH, windowW, padV, padH, strideV, strideH)
        public readonly delegate* unmanaged<IntPtr, int, int, int, int, int, int, int, int, int> SetPooling2dDescriptor = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, int, int, int>)Get("cudnnSetPooling2dDescriptor");
        public readonly delegate* unmanaged<IntPtr, int> DestroyPoolingDescriptor = (delegate* unmanaged<IntPtr, int>)Get("cudnnDestroyPoolingDescriptor");

        // (handle, x, xData, w, wData, conv, y, yData, requested, returned*, perf*, workspace, workspaceBytes)
        public readonly delegate* unmanaged<IntPtr, IntPtr, ulong, IntPtr, ulong, IntPtr, IntPtr, ulong, int, int*, AlgoPerf*, ulong, nuint, int> FindConvolutionForwardAlgorithmEx =
            (delegate* unmanaged<IntPtr, IntPtr, ulong, IntPtr, ulong, IntPtr, IntPtr, ulong, int, int*, AlgoPerf*, ulong, nuint, int>)Get("cudnnFindConvolutionForwardAlgorithmEx");
        // (handle, x, w, conv, y, requested, returned*, perf*)
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, int*, AlgoPerf*, int> GetConvolutionForwardAlgorithm_v7 =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, int*, AlgoPerf*, int>)Get("cudnnGetConvolutionForwardAlgorithm_v7");
        // (handle, x, w, conv, y, algo, size*)
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, nuint*, int> GetConvolutionForwardWorkspaceSize =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, nuint*, int>)Get("cudnnGetConvolutionForwardWorkspaceSize");
        // (conv, x, w, n*, c*, h*, w*)
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, int*, int*, int*, int*, int> GetConvolution2dForwardOutputDim =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, int*, int*, int*, int*, int>)Get("cudnnGetConvolution2dForwardOutputDim");
        // (handle, alpha, x, xData, w, wData, conv, algo, ws, wsBytes, beta, y, yData)
        public readonly delegate* unmanaged<IntPtr, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, int, ulong, nuint, void*, IntPtr, ulong, int> ConvolutionForward =
            (delegate* unmanaged<IntPtr, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, int, ulong, nuint, void*, IntPtr, ulong, int>)Get("cudnnConvolutionForward");
        // (handle, alpha1, x, xData, w, wData, conv, algo, ws, wsBytes, alpha2, z, zData, bias, biasData, act, y, yData)
        public readonly delegate* unmanaged<IntPtr, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, int, ulong, nuint, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, IntPtr, ulong, int> ConvolutionBiasActivationForward =
            (delegate* unmanaged<IntPtr, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, int, ulong, nuint, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, IntPtr, ulong, int>)Get("cudnnConvolutionBiasActivationForward");

        // (handle, w, wData, dy, dyData, conv, dx, dxData, requested, returned*, perf*, ws, wsBytes)
        public readonly delegate* unmanaged<IntPtr, IntPtr, ulong, IntPtr, ulong, IntPtr, IntPtr, ulong, int, int*, AlgoPerf*, ulong, nuint, int> FindConvolutionBackwardDataAlgorithmEx =
            (delegate* unmanaged<IntPtr, IntPtr, ulong, IntPtr, ulong, IntPtr, IntPtr, ulong, int, int*, AlgoPerf*, ulong, nuint, int>)Get("cudnnFindConvolutionBackwardDataAlgorithmEx");
        // (handle, w, dy, conv, dx, requested, returned*, perf*)
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, int*, AlgoPerf*, int> GetConvolutionBackwardDataAlgorithm_v7 =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, int*, AlgoPerf*, int>)Get("cudnnGetConvolutionBackwardDataAlgorithm_v7");
        // (handle, w, dy, conv, dx, algo, size*)
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, nuint*, int> GetConvolutionBackwardDataWorkspaceSize =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, nuint*, int>)Get("cudnnGetConvolutionBackwardDataWorkspaceSize");
        // (handle, alpha, w, wData, dy, dyData, conv, algo, ws, wsBytes, beta, dx, dxData)
        public readonly delegate* unmanaged<IntPtr, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, int, ulong, nuint, void*, IntPtr, ulong, int> ConvolutionBackwardData =
            (delegate* unmanaged<IntPtr, void*, IntPtr, ulong, IntPtr, ulong, IntPtr, int, ulong, nuint, void*, IntPtr, ulong, int>)Get("cudnnConvolutionBackwardData");

        // (handle, alpha, a, aData, beta, c, cData)
        public readonly delegate* unmanaged<IntPtr, void*, IntPtr, ulong, void*, IntPtr, ulong, int> AddTensor =
            (delegate* unmanaged<IntPtr, void*, IntPtr, ulong, void*, IntPtr, ulong, int>)Get("cudnnAddTensor");
        // (handle, pool, alpha, x, xData, beta, y, yData)
        public readonly delegate* unmanaged<IntPtr, IntPtr, void*, IntPtr, ulong, void*, IntPtr, ulong, int> PoolingForward =
            (delegate* unmanaged<IntPtr, IntPtr, void*, IntPtr, ulong, void*, IntPtr, ulong, int>)Get("cudnnPoolingForward");

        private static IntPtr Get(string name) => CudaLibraries.Symbol(Library, name);
    }
}
