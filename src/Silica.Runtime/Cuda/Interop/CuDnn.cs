using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// A cuDNN handle and the legacy convolution/pooling calls (still shipped in cuDNN 9). Data arguments are device
/// addresses; alpha/beta are host pointers to float (double for double data), blending y = alpha·result + beta·y.
/// </summary>
internal sealed unsafe partial class CuDnn : SafeHandle
{
    private const int MaxAlgorithms = 8;

    private CuDnn(IntPtr h)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static CuDnn Create()
    {
        CudaDriver.Instance.EnsureCurrent();
        IntPtr h;
        CudaStatus.Check(Library, "cudnnCreate", Api.Create(&h));
        return new CuDnn(h);
    }

    /// <summary>cudnnGetVersion, e.g. 91400 for 9.14.0.</summary>
    public static long Version() => (long)Api.GetVersion();

    public void SetStream(CudaStream stream) => CudaStatus.Check(Library, "cudnnSetStream", Api.SetStream(handle, stream.Raw));

    /// <summary>N, C, H, W of a convolution's output.</summary>
    public static (int N, int C, int H, int W) OutputDim(ConvolutionDescriptor conv, TensorDescriptor x, FilterDescriptor w)
    {
        int n, c, h, ww;
        CudaStatus.Check(Library, "cudnnGetConvolution2dForwardOutputDim", Api.GetConvolution2dForwardOutputDim(conv.Raw, x.Raw, w.Raw, &n, &c, &h, &ww));
        return (n, c, h, ww);
    }

    /// <summary>
    /// Times the forward algorithms on the real buffers (cudnnFindConvolutionForwardAlgorithmEx; it writes y) and
    /// returns the fastest that fits in <paramref name="workspaceBytes"/>. Not for use during graph capture.
    /// </summary>
    public (ConvFwdAlgo Algo, ulong WorkspaceBytes) FindForwardAlgorithm(TensorDescriptor x, ulong xData, FilterDescriptor w, ulong wData,
        ConvolutionDescriptor conv, TensorDescriptor y, ulong yData, ulong workspace, ulong workspaceBytes)
    {
        CudaDriver.Instance.EnsureCurrent();
        var perf = stackalloc AlgoPerf[MaxAlgorithms];
        int returned;
        CudaStatus.Check(Library, "cudnnFindConvolutionForwardAlgorithmEx", Api.FindConvolutionForwardAlgorithmEx(handle, x.Raw, xData, w.Raw, wData,
            conv.Raw, y.Raw, yData, MaxAlgorithms, &returned, perf, workspace, (nuint)workspaceBytes));
        var best = Best(perf, returned, workspaceBytes, "cudnnFindConvolutionForwardAlgorithmEx");
        return ((ConvFwdAlgo)best.Algo, best.Memory);
    }

    /// <summary>The heuristic's first forward algorithm within <paramref name="maxWorkspaceBytes"/> (cudnnGetConvolutionForwardAlgorithm_v7; runs nothing).</summary>
    public (ConvFwdAlgo Algo, ulong WorkspaceBytes) GetForwardAlgorithm(TensorDescriptor x, FilterDescriptor w, ConvolutionDescriptor conv, TensorDescriptor y, ulong maxWorkspaceBytes)
    {
        CudaDriver.Instance.EnsureCurrent();
        var perf = stackalloc AlgoPerf[MaxAlgorithms];
        int returned;
        CudaStatus.Check(Library, "cudnnGetConvolutionForwardAlgorithm_v7",
            Api.GetConvolutionForwardAlgorithm_v7(handle, x.Raw, w.Raw, conv.Raw, y.Raw, MaxAlgorithms, &returned, perf));
        var best = Best(perf, returned, maxWorkspaceBytes, "cudnnGetConvolutionForwardAlgorithm_v7");
        return ((ConvFwdAlgo)best.Algo, best.Memory);
    }

    public ulong ForwardWorkspaceSize(TensorDescriptor x, FilterDescriptor w, ConvolutionDescriptor conv, TensorDescriptor y, ConvFwdAlgo algo)
    {
        nuint bytes;
        CudaStatus.Check(Library, "cudnnGetConvolutionForwardWorkspaceSize",
            Api.GetConvolutionForwardWorkspaceSize(handle, x.Raw, w.Raw, conv.Raw, y.Raw, (int)algo, &bytes));
        return bytes;
    }

    public void ConvolutionForward(void* alpha, TensorDescriptor x, ulong xData, FilterDescriptor w, ulong wData, ConvolutionDescriptor conv,
        ConvFwdAlgo algo, ulong workspace, ulong workspaceBytes, void* beta, TensorDescriptor y, ulong yData)
    {
        CudaDriver.Instance.EnsureCurrent();
        CudaStatus.Check(Library, "cudnnConvolutionForward", Api.ConvolutionForward(handle, alpha, x.Raw, xData, w.Raw, wData, conv.Raw, (int)algo,
            workspace, (nuint)workspaceBytes, beta, y.Raw, yData));
    }

    /// <summary>
    /// y = act(alpha1·conv(x, w) + alpha2·z + bias). cuDNN accepts only Relu or Identity here, and Identity only with
    /// <see cref="ConvFwdAlgo.ImplicitPrecompGemm"/>. z may be y itself; bias is a 1×K×1×1 tensor.
    /// </summary>
    public void ConvolutionBiasActivationForward(void* alpha1, TensorDescriptor x, ulong xData, FilterDescriptor w, ulong wData,
        ConvolutionDescriptor conv, ConvFwdAlgo algo, ulong workspace, ulong workspaceBytes, void* alpha2, TensorDescriptor z, ulong zData,
        TensorDescriptor bias, ulong biasData, ActivationDescriptor activation, TensorDescriptor y, ulong yData)
    {
        CudaDriver.Instance.EnsureCurrent();
        CudaStatus.Check(Library, "cudnnConvolutionBiasActivationForward", Api.ConvolutionBiasActivationForward(handle, alpha1, x.Raw, xData,
            w.Raw, wData, conv.Raw, (int)algo, workspace, (nuint)workspaceBytes, alpha2, z.Raw, zData, bias.Raw, biasData, activation.Raw, y.Raw, yData));
    }

    /// <summary>Like <see cref="FindForwardAlgorithm"/> for the data gradient (ConvTranspose); it writes dx.</summary>
    public (ConvBwdDataAlgo Algo, ulong WorkspaceBytes) FindBackwardDataAlgorithm(FilterDescriptor w, ulong wData, TensorDescriptor dy, ulong dyData,
        ConvolutionDescriptor conv, TensorDescriptor dx, ulong dxData, ulong workspace, ulong workspaceBytes)
    {
        CudaDriver.Instance.EnsureCurrent();
        var perf = stackalloc AlgoPerf[MaxAlgorithms];
        int returned;
        CudaStatus.Check(Library, "cudnnFindConvolutionBackwardDataAlgorithmEx", Api.FindConvolutionBackwardDataAlgorithmEx(handle, w.Raw, wData,
            dy.Raw, dyData, conv.Raw, dx.Raw, dxData, MaxAlgorithms, &returned, perf, workspace, (nuint)workspaceBytes));
        var best = Best(perf, returned, workspaceBytes, "cudnnFindConvolutionBackwardDataAlgorithmEx");
        return ((ConvBwdDataAlgo)best.Algo, best.Memory);
    }

    public (ConvBwdDataAlgo Algo, ulong WorkspaceBytes) GetBackwardDataAlgorithm(FilterDescriptor w, TensorDescriptor dy, ConvolutionDescriptor conv,
        TensorDescriptor dx, ulong maxWorkspaceBytes)
    {
        CudaDriver.Instance.EnsureCurrent();
        var perf = stackalloc AlgoPerf[MaxAlgorithms];
        int returned;
        CudaStatus.Check(Library, "cudnnGetConvolutionBackwardDataAlgorithm_v7",
            Api.GetConvolutionBackwardDataAlgorithm_v7(handle, w.Raw, dy.Raw, conv.Raw, dx.Raw, MaxAlgorithms, &returned, perf));
        var best = Best(perf, returned, maxWorkspaceBytes, "cudnnGetConvolutionBackwardDataAlgorithm_v7");
        return ((ConvBwdDataAlgo)best.Algo, best.Memory);
    }

    public ulong BackwardDataWorkspaceSize(FilterDescriptor w, TensorDescriptor dy, ConvolutionDescriptor conv, TensorDescriptor dx, ConvBwdDataAlgo algo)
    {
        nuint bytes;
        CudaStatus.Check(Library, "cudnnGetConvolutionBackwardDataWorkspaceSize",
            Api.GetConvolutionBackwardDataWorkspaceSize(handle, w.Raw, dy.Raw, conv.Raw, dx.Raw, (int)algo, &bytes));
        return bytes;
    }

    /// <summary>dx = alpha·convᵀ(w, dy) + beta·dx: ConvTranspose with x = dy and y = dx.</summary>
    public void ConvolutionBackwardData(void* alpha, FilterDescriptor w, ulong wData, TensorDescriptor dy, ulong dyData, ConvolutionDescriptor conv,
        ConvBwdDataAlgo algo, ulong workspace, ulong workspaceBytes, void* beta, TensorDescriptor dx, ulong dxData)
    {
        CudaDriver.Instance.EnsureCurrent();
        CudaStatus.Check(Library, "cudnnConvolutionBackwardData", Api.ConvolutionBackwardData(handle, alpha, w.Raw, wData, dy.Raw, dyData, conv.Raw,
            (int)algo, workspace, (nuint)workspaceBytes, beta, dx.Raw, dxData));
    }

    /// <summary>c = alpha·a + beta·c, broadcasting a (e.g. a 1×C×1×1 bias) over c.</summary>
    public void AddTensor(void* alpha, TensorDescriptor a, ulong aData, void* beta, TensorDescriptor c, ulong cData)
    {
        CudaDriver.Instance.EnsureCurrent();
        CudaStatus.Check(Library, "cudnnAddTensor", Api.AddTensor(handle, alpha, a.Raw, aData, beta, c.Raw, cData));
    }

    public void PoolingForward(PoolingDescriptor pool, void* alpha, TensorDescriptor x, ulong xData, void* beta, TensorDescriptor y, ulong yData)
    {
        CudaDriver.Instance.EnsureCurrent();
        CudaStatus.Check(Library, "cudnnPoolingForward", Api.PoolingForward(handle, pool.Raw, alpha, x.Raw, xData, beta, y.Raw, yData));
    }

    /// <summary>Results come sorted fastest first; take the first that succeeded and fits the workspace.</summary>
    private static AlgoPerf Best(AlgoPerf* perf, int count, ulong maxWorkspaceBytes, string function) =>
        Best(new ReadOnlySpan<AlgoPerf>(perf, count), maxWorkspaceBytes, function);

    internal static AlgoPerf Best(ReadOnlySpan<AlgoPerf> perf, ulong maxWorkspaceBytes, string function)
    {
        foreach (var candidate in perf)
        {
            if (candidate.Status == 0 && candidate.Memory <= maxWorkspaceBytes)
            {
                return candidate;
            }
        }
        // 3000 = CUDNN_STATUS_NOT_SUPPORTED
        throw new CudaException(Library, 3000, $"{Library}: {function} found no algorithm among {perf.Length} that runs within {maxWorkspaceBytes} bytes of workspace");
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease() && _functions is { } api)
        {
            _ = api.Destroy(handle);
        }
        return true;
    }
}
