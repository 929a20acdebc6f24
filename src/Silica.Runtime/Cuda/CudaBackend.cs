using Silica.Onnx.Graph;
using Silica.Runtime.Backends;
using Silica.Runtime.Cuda.Engine;
using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Cuda;

/// <summary>
/// Silica's own GPU engine: ONNX graphs planned into one device arena and run with cuBLASLt GEMMs, cuDNN convolutions
/// and NVRTC-compiled kernels, in FP32 (optionally TF32), FP16, BF16 and FP8 GEMMs on Hopper. Construction fails with a
/// <see cref="BackendNotAvailableException"/> whose one-line message says what is missing when there is no usable GPU.
/// </summary>
public sealed class CudaBackend : IBackend, IDisposable
{
    /// <summary>The registry name.</summary>
    public const string BackendName = "cuda";

    private readonly CudaEngineContext _engine;

    /// <summary>Opens device 0.</summary>
    /// <exception cref="BackendNotAvailableException">No NVIDIA driver, CUDA libraries or device.</exception>
    public CudaBackend()
    {
        if (!CudaAvailability.TryProbe(out var reason, out _))
        {
            throw new BackendNotAvailableException($"backend 'cuda' is not available: {reason}");
        }
        try
        {
            _engine = CudaEngineContext.Open();
        }
        catch (Exception e) when (e is CudaException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new BackendNotAvailableException($"backend 'cuda' is not available: {e.Message}", e);
        }
        Device = new DeviceInfo(DeviceKind.Gpu, _engine.Gpu.Name, _engine.Gpu.MultiprocessorCount, _engine.Gpu.TotalMemoryBytes);
        List<Precision> precisions = [Precision.Fp32, Precision.Fp16];
        if (_engine.HasBf16)
        {
            precisions.Add(Precision.Bf16);
        }
        if (_engine.HasFp8)
        {
            precisions.Add(Precision.Fp8);
        }
        SupportedPrecisions = precisions;
    }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public DeviceInfo Device { get; }

    /// <inheritdoc />
    public IReadOnlyList<Precision> SupportedPrecisions { get; }

    /// <summary>Compute capability, e.g. (9, 0) for Hopper.</summary>
    public (int Major, int Minor) ComputeCapability => (_engine.Gpu.Major, _engine.Gpu.Minor);

    /// <summary>Kernels NVRTC compiled in this process, and kernels read from the on-disk cache.</summary>
    public (int Compiled, int FromDisk) KernelCacheCounts => (_engine.Kernels.Compiled, _engine.Kernels.FromDisk);

    /// <summary>Free and total device memory now.</summary>
    public (long Free, long Total) MemoryInfo()
    {
        _engine.Context.MakeCurrent();
        return _engine.Context.MemoryInfo();
    }

    /// <inheritdoc />
    public BackendSupport CanRun(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsWeightless)
        {
            return BackendSupport.NotSupported("the model declares its weights without data (an analysis-only model); it cannot run");
        }
        foreach (var node in model.Graph.Nodes)
        {
            if (!node.IsDefaultDomain)
            {
                return BackendSupport.NotSupported($"node '{node.Name}' uses operator {node.Domain}.{node.OpType}, which the CUDA engine does not implement");
            }
        }
        return BackendSupport.Supported;
    }

    /// <inheritdoc />
    public ISession CreateSession(OnnxModel model, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SessionOptions();
        var name = options.ModelName ?? (model.Graph.Name.Length > 0 ? model.Graph.Name : "model");
        if (!SupportedPrecisions.Contains(options.Precision))
        {
            throw new ModelLoadException($"cannot load model '{name}': {_engine.Gpu.Name} (sm_{_engine.Gpu.Major}{_engine.Gpu.Minor}) has no {options.Precision.ToString().ToUpperInvariant()} support in Silica's CUDA engine");
        }
        var support = CanRun(model);
        if (!support.IsSupported)
        {
            throw new ModelLoadException($"cannot load model '{name}': {support.Reason}");
        }
        try
        {
            return new CudaSession(_engine, model, name, options);
        }
        catch (CudaException e)
        {
            throw new ModelLoadException($"cannot load model '{name}' on the GPU: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public ISession CreateSession(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = options?.ModelName ?? Path.GetFileNameWithoutExtension(path);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"cannot load model '{name}': file '{path}' does not exist");
        }
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(path);
        }
        catch (Onnx.OnnxFormatException e)
        {
            throw new ModelLoadException($"cannot load model '{name}': {e.Message}", e);
        }
        return CreateSession(model, (options ?? new SessionOptions()) with { ModelName = name });
    }

    /// <inheritdoc />
    public ISession CreateSession(ReadOnlyMemory<byte> modelBytes, SessionOptions? options = null)
    {
        var name = options?.ModelName ?? "model";
        if (modelBytes.IsEmpty)
        {
            throw new ModelLoadException($"cannot load model '{name}': the model is empty");
        }
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(modelBytes.Span);
        }
        catch (Onnx.OnnxFormatException e)
        {
            throw new ModelLoadException($"cannot load model '{name}': {e.Message}", e);
        }
        return CreateSession(model, (options ?? new SessionOptions()) with { ModelName = name });
    }

    /// <summary>
    /// Runs the model one plan step at a time and compares each step's output with Silica's C# reference interpreter;
    /// returns a line per step whose relative error exceeds <paramref name="tolerance"/> (at most <paramref name="maxReports"/>),
    /// empty when every step agrees. For finding which kernel is wrong, not for speed.
    /// </summary>
    public IReadOnlyList<string> DiagnoseSteps(OnnxModel model, IReadOnlyList<Tensors.Tensor> inputs, SessionOptions options, double tolerance, int maxReports = 5)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var session = (CudaSession)CreateSession(model, options);
        return session.Diagnose([.. inputs], tolerance, maxReports);
    }

    /// <summary>Per-op device time (CUDA events, mean of <paramref name="repeats"/> runs) of a session created by this backend.</summary>
    public static IReadOnlyList<(string Name, string Kind, double Milliseconds)> Profile(ISession session, IReadOnlyList<Tensors.Tensor> inputs, int repeats = 5)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return session is CudaSession cuda
            ? cuda.Profile([.. inputs], repeats)
            : throw new ArgumentException("not a CUDA session", nameof(session));
    }

    /// <summary>GEMM layers against bare cuBLASLt and memory-bound kernels against device copy bandwidth, for a CUDA session.</summary>
    public static EfficiencyReport Efficiency(ISession session, IReadOnlyList<Tensors.Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return session is CudaSession cuda ? cuda.Efficiency([.. inputs]) : throw new ArgumentException("not a CUDA session", nameof(session));
    }

    /// <summary>Device time of a CUDA session's last run in milliseconds (CUDA events), NaN before the first run.</summary>
    public static double LastDeviceMilliseconds(ISession session) => session is CudaSession cuda ? cuda.LastDeviceMilliseconds : double.NaN;

    /// <summary>Device bytes a CUDA session's compiled plans hold (arena, weights, workspaces).</summary>
    public static long DeviceBytes(ISession session) => session is CudaSession cuda ? cuda.DeviceBytes : 0;

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
