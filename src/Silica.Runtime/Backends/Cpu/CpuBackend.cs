using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Backends.Cpu;

/// <summary>The <c>cpu</c> backend: ONNX Runtime's CPU execution provider, with zero-copy tensors.</summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The registry name.</summary>
    public const string BackendName = "cpu";

    // Operator domains ORT's CPU provider implements; anything else needs a custom-op library.
    private static readonly string[] KnownDomains = ["", "ai.onnx", "ai.onnx.ml", "com.microsoft", "com.microsoft.nchwc"];

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    public DeviceInfo Device => DeviceInfo.CurrentCpu;

    /// <inheritdoc/>
    public IReadOnlyList<Precision> SupportedPrecisions { get; } = [Precision.Fp32, Precision.Int8];

    /// <summary>The highest default-domain opset this ONNX Runtime build accepts.</summary>
    /// <remarks>ORT 1.31.1 refuses opset 27 and above at load ("official support ... is till opset 26").</remarks>
    public static int MaxOpset => 26;

    /// <inheritdoc/>
    public BackendSupport CanRun(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsWeightless)
        {
            return BackendSupport.NotSupported("the model declares its weights without data (an analysis-only model); it cannot run");
        }
        if (model.Opset > MaxOpset)
        {
            return BackendSupport.NotSupported($"opset {model.Opset} is newer than ONNX Runtime's CPU backend supports ({MaxOpset})");
        }
        foreach (var node in model.Graph.Nodes)
        {
            if (Array.IndexOf(KnownDomains, node.Domain) < 0)
            {
                return BackendSupport.NotSupported($"node '{node.Name}' uses operator {node.Domain}.{node.OpType}, a custom-op domain ONNX Runtime does not know");
            }
        }
        foreach (var v in model.Graph.RuntimeInputs)
        {
            if (v.Type?.ElementType is TensorDataType.String)
            {
                return BackendSupport.NotSupported($"input '{v.Name}' is a string tensor; Silica tensors are dense numeric");
            }
        }
        return BackendSupport.Supported;
    }

    /// <inheritdoc/>
    public ISession CreateSession(OnnxModel model, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = options?.ModelName ?? (model.Graph.Name.Length > 0 ? model.Graph.Name : "model");
        return Load(name, options ?? new SessionOptions(), o => new InferenceSession(model.ToBytes(), o));
    }

    /// <inheritdoc/>
    public ISession CreateSession(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = options?.ModelName ?? Path.GetFileNameWithoutExtension(path);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"cannot load model '{name}': file '{path}' does not exist");
        }
        return Load(name, options ?? new SessionOptions(), o => new InferenceSession(path, o));
    }

    /// <inheritdoc/>
    public ISession CreateSession(ReadOnlyMemory<byte> modelBytes, SessionOptions? options = null)
    {
        var name = options?.ModelName ?? "model";
        if (modelBytes.IsEmpty)
        {
            throw new ModelLoadException($"cannot load model '{name}': the model is empty");
        }
        var bytes = MemoryMarshal.TryGetArray(modelBytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : modelBytes.ToArray();
        return Load(name, options ?? new SessionOptions(), o => new InferenceSession(bytes, o));
    }

    private static CpuSession Load(string name, SessionOptions options, Func<Microsoft.ML.OnnxRuntime.SessionOptions, InferenceSession> create)
    {
        // ONNX Runtime runs the model's own number formats; it does not convert a model to half precision. Saying
        // FP16 and measuring FP32 would mislabel every figure.
        if (options.Precision is Precision.Fp16 or Precision.Bf16 or Precision.Fp8)
        {
            throw new ModelLoadException(
                $"cannot load model '{name}' in {options.Precision.ToString().ToUpperInvariant()}: the cpu backend runs the model's own number formats (FP32, or INT8 in a quantised model); use --backend cuda, or convert the model first");
        }
        using var ortOptions = OrtOptions.Create(options);
        InferenceSession? session = null;
        try
        {
            session = create(ortOptions);
            return new CpuSession(session, name, options);
        }
        catch (OnnxRuntimeException e)
        {
            session?.Dispose();
            throw OrtErrors.Load(name, e);
        }
        catch (NotSupportedException e)
        {
            session?.Dispose();
            throw OrtErrors.Load(name, e);
        }
    }
}
