using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Backends.Cpu;

/// <summary>
/// A model loaded in ONNX Runtime. Inputs and outputs are bound zero-copy through one <see cref="OrtIoBinding"/>:
/// each distinct buffer/shape gets its <see cref="OrtValue"/> once, and a run whose tensors match the previous
/// run's rebinds nothing, so the steady path is a single native call with no managed allocation.
/// </summary>
internal sealed class CpuSession : ISession
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly OrtValueSlot[] _inputSlots;
    private readonly OrtValueSlot[] _outputSlots;
    private readonly IReadOnlyDictionary<string, long> _bindings;
    private int _running;
    private bool _disposed;

    public CpuSession(InferenceSession session, string modelName, SessionOptions options)
    {
        _session = session;
        ModelName = modelName;
        _bindings = options.DimensionBindings;
        Inputs = Describe(session.InputNames, session.InputMetadata, options.DimensionBindings);
        Outputs = Describe(session.OutputNames, session.OutputMetadata, options.DimensionBindings);
        _binding = session.CreateIoBinding();
        _runOptions = new RunOptions();
        _inputSlots = NewSlots(Inputs.Count);
        _outputSlots = NewSlots(Outputs.Count);
    }

    public string ModelName { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    // The IO binding is per-session state; concurrent runs need one session each.
    public bool IsThreadSafe => false;

    public void Run(ReadOnlySpan<Tensor> inputs, Span<Tensor> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            ThrowConcurrent();
        }
        try
        {
            if (inputs.Length != Inputs.Count || outputs.Length != Outputs.Count)
            {
                throw TensorChecks.CountMismatch(ModelName, Inputs, Outputs, inputs.Length, outputs.Length);
            }
            for (var i = 0; i < inputs.Length; i++)
            {
                TensorChecks.Check(ModelName, Inputs[i], inputs[i], "input");
                var value = _inputSlots[i].Get(inputs[i], out var changed);
                if (changed)
                {
                    _binding.BindInput(Inputs[i].Name, value);
                }
            }
            for (var i = 0; i < outputs.Length; i++)
            {
                TensorChecks.Check(ModelName, Outputs[i], outputs[i], "output");
                var value = _outputSlots[i].Get(outputs[i], out var changed);
                if (changed)
                {
                    _binding.BindOutput(Outputs[i].Name, value);
                }
            }
            _session.RunWithBinding(_runOptions, _binding);
        }
        catch (OnnxRuntimeException e)
        {
            ForgetBindings();
            throw OrtErrors.Run(ModelName, e);
        }
        catch
        {
            ForgetBindings();
            throw;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _binding.Dispose();
        foreach (var s in _inputSlots)
        {
            s.Dispose();
        }
        foreach (var s in _outputSlots)
        {
            s.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>The symbol bindings fixed at load time.</summary>
    internal IReadOnlyDictionary<string, long> DimensionBindings => _bindings;

    // After a failure the binding may not hold what the slots think it holds; rebind everything next run.
    private void ForgetBindings()
    {
        foreach (var s in _inputSlots)
        {
            s.Forget();
        }
        foreach (var s in _outputSlots)
        {
            s.Forget();
        }
    }

    private static OrtValueSlot[] NewSlots(int n)
    {
        var slots = new OrtValueSlot[n];
        for (var i = 0; i < n; i++)
        {
            slots[i] = new OrtValueSlot();
        }
        return slots;
    }

    private static TensorInfo[] Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata,
        IReadOnlyDictionary<string, long> bindings)
    {
        var infos = new TensorInfo[names.Count];
        for (var i = 0; i < infos.Length; i++)
        {
            var m = metadata[names[i]];
            if (!m.IsTensor)
            {
                throw new NotSupportedException($"'{names[i]}' is a {m.OnnxValueType}, not a tensor; Silica sessions take tensors only");
            }
            var dims = new Dim[m.Dimensions.Length];
            for (var d = 0; d < dims.Length; d++)
            {
                var symbol = d < m.SymbolicDimensions.Length ? m.SymbolicDimensions[d] : "";
                dims[d] = m.Dimensions[d] >= 0 ? Dim.Of(m.Dimensions[d]) : symbol.Length > 0 ? Dim.Named(symbol) : Dim.Unknown;
            }
            infos[i] = new TensorInfo(names[i], (TensorDataType)(int)m.ElementDataType, new TensorShape(dims).Bind(bindings));
        }
        return infos;
    }

    private static void ThrowConcurrent() =>
        throw new InvalidOperationException("this session is already running on another thread; create one session per thread");
}
