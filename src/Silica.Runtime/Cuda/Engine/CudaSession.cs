using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Cuda.Interop;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>
/// A model on the GPU. Each distinct set of input shapes gets its own compiled plan (built on first use, or at load
/// when every dimension is bound), kept for reuse; a run copies inputs in, enqueues the plan on the session's stream
/// (a CUDA graph replay after the second run), and copies outputs back.
/// </summary>
internal sealed class CudaSession : ISession
{
    private const int MaxPlans = 8;

    private readonly CudaEngineContext _engine;
    private readonly OnnxModel _model;
    private readonly SessionOptions _options;
    private readonly CudaStream _stream;
    private readonly CublasLt _lt;
    private readonly CuDnn _dnn;
    private readonly CudaEvent _start;
    private readonly CudaEvent _end;
    private readonly Dictionary<string, CompiledPlan> _plans = new(StringComparer.Ordinal);
    private readonly Queue<string> _planOrder = new();
    private int _running;
    private bool _disposed;
    private bool _timed;

    public CudaSession(CudaEngineContext engine, OnnxModel model, string name, SessionOptions options)
    {
        _engine = engine;
        _model = model;
        _options = options;
        ModelName = name;
        engine.Context.MakeCurrent();
        Inputs = Describe(model.Graph.RuntimeInputs, options.DimensionBindings);
        Outputs = Describe(model.Graph.Outputs, options.DimensionBindings);
        _stream = CudaStream.Create();
        _lt = CublasLt.Create();
        _dnn = CuDnn.Create();
        _dnn.SetStream(_stream);
        _start = CudaEvent.Create();
        _end = CudaEvent.Create();
        if (Inputs.All(i => i.Shape.IsStatic))
        {
            PlanFor([.. Inputs.Select(i => i.Shape.ToArray())]);
        }
    }

    public string ModelName { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    // One stream and one set of arena buffers per plan: concurrent runs need one session each.
    public bool IsThreadSafe => false;

    /// <summary>Device time of the last run (CUDA events around the enqueued work), in milliseconds.</summary>
    public double LastDeviceMilliseconds => _timed ? CudaEvent.ElapsedMs(_start, _end) : double.NaN;

    /// <summary>The compiled plan of the last run.</summary>
    public CompiledPlan? LastPlan { get; private set; }

    /// <summary>Device bytes all this session's plans hold.</summary>
    public long DeviceBytes => _plans.Values.Sum(p => p.DeviceBytes);

    public void Run(ReadOnlySpan<Tensor> inputs, Span<Tensor> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("this session is already running on another thread; create one session per thread");
        }
        try
        {
            RunCore(inputs, outputs);
        }
        catch (CudaException e)
        {
            throw new InferenceException($"model '{ModelName}' failed on the GPU: {e.Message}", e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Runs every op once with events around each, for per-op device time (the plan for these input shapes must exist).</summary>
    public IReadOnlyList<(string Name, string Kind, double Milliseconds)> Profile(ReadOnlySpan<Tensor> inputs, int repeats = 5)
    {
        var plan = PlanFor(ShapesOf(inputs));
        CopyIn(plan, inputs);
        var ops = plan.Ops;
        var events = new CudaEvent[ops.Count + 1];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = CudaEvent.Create();
        }
        var totals = new double[ops.Count];
        try
        {
            for (var r = 0; r < repeats; r++)
            {
                events[0].Record(_stream);
                for (var i = 0; i < ops.Count; i++)
                {
                    ops[i].Enqueue(_stream);
                    events[i + 1].Record(_stream);
                }
                _stream.Synchronize();
                for (var i = 0; i < ops.Count; i++)
                {
                    totals[i] += CudaEvent.ElapsedMs(events[i], events[i + 1]);
                }
            }
        }
        finally
        {
            foreach (var e in events)
            {
                e.Dispose();
            }
        }
        return [.. ops.Select((op, i) => (op.Name, op.Kind, totals[i] / repeats))];
    }

    /// <summary>Step-by-step comparison with the reference interpreter (see <see cref="StepDiagnostics"/>).</summary>
    public IReadOnlyList<string> Diagnose(ReadOnlySpan<Tensor> inputs, double tolerance, int maxReports)
    {
        var plan = PlanFor(ShapesOf(inputs));
        var bytes = new List<byte[]>();
        foreach (var t in inputs)
        {
            bytes.Add(t.Bytes.ToArray());
        }
        _engine.Context.MakeCurrent();
        return StepDiagnostics.Compare(plan, _stream, bytes, tolerance, maxReports);
    }

    /// <summary>Measures GEMM layers against bare cuBLASLt and memory-bound kernels against copy bandwidth.</summary>
    public EfficiencyReport Efficiency(ReadOnlySpan<Tensor> inputs, int repeats = 10)
    {
        var compiled = PlanFor(ShapesOf(inputs));
        var plan = compiled.Plan;
        _engine.Context.MakeCurrent();
        CopyIn(compiled, inputs);
        var copy = CopyBandwidth();
        var steps = compiled.OpsByStep;
        var times = new double[steps.Count];
        var events = new CudaEvent[steps.Count + 1];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = CudaEvent.Create();
        }
        try
        {
            for (var r = -1; r < repeats; r++)
            {
                events[0].Record(_stream);
                for (var i = 0; i < steps.Count; i++)
                {
                    foreach (var op in steps[i])
                    {
                        op.Enqueue(_stream);
                    }
                    events[i + 1].Record(_stream);
                }
                _stream.Synchronize();
                for (var i = 0; r >= 0 && i < steps.Count; i++)
                {
                    times[i] += CudaEvent.ElapsedMs(events[i], events[i + 1]) / repeats;
                }
            }
        }
        finally
        {
            foreach (var e in events)
            {
                e.Dispose();
            }
        }
        var gemms = new List<GemmEfficiency>();
        var memory = new List<MemoryKernelEfficiency>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            if (step is GemmStep g)
            {
                var bare = g with { Bias = -1, Residual = -1, Activation = Activation.None };
                using var op = new Ops.GemmOp(_lt, bare, plan, compiled.PointerOf, compiled.WorkspacePointer, (ulong)CompiledPlan.WorkspaceBytes, _options.AllowTf32);
                var bareMs = Time(op, 20);
                var flops = 2.0 * g.M * g.N * g.K * g.BatchCount;
                gemms.Add(new GemmEfficiency(g.Name, g.M, g.N, g.K, g.BatchCount, times[i], bareMs, flops / (times[i] / 1e3) / 1e12));
            }
            else if (step is not (ConvStep or ConvTransposeStep or CopyStep))
            {
                var bytes = plan[StepBuffers.Writes(step)].ByteSize + StepBuffers.Reads(step).Sum(id => plan[id].ByteSize);
                if (bytes >= 4L << 20)
                {
                    memory.Add(new MemoryKernelEfficiency(step.Name, step.GetType().Name.Replace("Step", "", StringComparison.Ordinal), bytes, times[i],
                        bytes / (times[i] / 1e3) / 1e9));
                }
            }
        }
        return new EfficiencyReport(copy, gemms, memory);
    }

    private double Time(Ops.IDeviceOp op, int repeats)
    {
        using var start = CudaEvent.Create();
        using var end = CudaEvent.Create();
        op.Enqueue(_stream);
        start.Record(_stream);
        for (var i = 0; i < repeats; i++)
        {
            op.Enqueue(_stream);
        }
        end.Record(_stream);
        _stream.Synchronize();
        return CudaEvent.ElapsedMs(start, end) / repeats;
    }

    private double CopyBandwidth()
    {
        const long bytes = 512L << 20;
        using var a = DeviceBuffer.Allocate(bytes);
        using var b = DeviceBuffer.Allocate(bytes);
        using var op = new Ops.CopyOp("copy", b.Pointer, a.Pointer, bytes);
        var ms = Time(op, 10);
        return 2.0 * bytes / (ms / 1e3) / 1e9;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            _engine.Context.MakeCurrent();
            _stream.Synchronize();
        }
        catch (CudaException)
        {
            // A failed device still has to release what it can.
        }
        foreach (var p in _plans.Values)
        {
            p.Dispose();
        }
        _plans.Clear();
        _start.Dispose();
        _end.Dispose();
        _dnn.Dispose();
        _lt.Dispose();
        _stream.Dispose();
    }

    private void RunCore(ReadOnlySpan<Tensor> inputs, Span<Tensor> outputs)
    {
        if (inputs.Length != Inputs.Count || outputs.Length != Outputs.Count)
        {
            throw TensorChecks.CountMismatch(ModelName, Inputs, Outputs, inputs.Length, outputs.Length);
        }
        for (var i = 0; i < inputs.Length; i++)
        {
            TensorChecks.Check(ModelName, Inputs[i], inputs[i], "input");
        }
        // Steady state allocates nothing on the host: the same input shapes as last time reuse that plan directly.
        var plan = LastPlan is { } last && SameShapes(last.Plan, inputs) ? last : PlanFor(ShapesOf(inputs));
        for (var i = 0; i < outputs.Length; i++)
        {
            var expected = plan.Plan[plan.Plan.Outputs[i]];
            var tensor = outputs[i] ?? throw new InvalidInputException($"model '{ModelName}': output '{Outputs[i].Name}' is missing");
            if (tensor.ElementType != Outputs[i].ElementType || !tensor.Shape.SequenceEqual(expected.Shape))
            {
                throw new InvalidInputException(
                    $"model '{ModelName}': output '{Outputs[i].Name}' is {Outputs[i].ElementType.DisplayName()}[{string.Join(',', expected.Shape)}] for these inputs, got a {tensor}");
            }
        }
        _engine.Context.MakeCurrent();
        CopyIn(plan, inputs);
        _start.Record(_stream);
        plan.Enqueue(_stream);
        _end.Record(_stream);
        for (var i = 0; i < outputs.Length; i++)
        {
            var id = plan.Plan.Outputs[i];
            unsafe
            {
                CudaMemory.CopyDeviceToHostAsync((void*)outputs[i].DataPointer, plan.PointerOf(id), outputs[i].ByteLength, _stream);
            }
        }
        _stream.Synchronize();
        _timed = true;
        LastPlan = plan;
    }

    private unsafe void CopyIn(CompiledPlan plan, ReadOnlySpan<Tensor> inputs)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            var id = plan.Plan.Inputs[i];
            if (id >= 0 && inputs[i].ByteLength > 0)
            {
                CudaMemory.CopyHostToDeviceAsync(plan.PointerOf(id), (void*)inputs[i].DataPointer, inputs[i].ByteLength, _stream);
            }
        }
    }

    private static bool SameShapes(ExecutionPlan plan, ReadOnlySpan<Tensor> inputs)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            // An input the plan does not read (one used only through Shape, say) still shaped the plan: look it up.
            var id = plan.Inputs[i];
            if (id < 0 || !inputs[i].Shape.SequenceEqual(plan[id].Shape))
            {
                return false;
            }
        }
        return true;
    }

    private static long[][] ShapesOf(ReadOnlySpan<Tensor> inputs)
    {
        var shapes = new long[inputs.Length][];
        for (var i = 0; i < inputs.Length; i++)
        {
            shapes[i] = inputs[i].Shape.ToArray();
        }
        return shapes;
    }

    private CompiledPlan PlanFor(long[][] shapes)
    {
        var key = string.Join(';', shapes.Select(s => string.Join(',', s)));
        if (_plans.TryGetValue(key, out var existing))
        {
            return existing;
        }
        _engine.Context.MakeCurrent();
        ExecutionPlan plan;
        try
        {
            plan = CudaPlanner.Plan(_model, shapes, new PlanOptions
            {
                Precision = _options.Precision,
                FuseAttention = Environment.GetEnvironmentVariable("SILICA_CUDA_FUSE_ATTENTION") == "1",
            });
        }
        catch (PlanException e)
        {
            throw new ModelLoadException($"cannot run model '{ModelName}' on the GPU: {e.Message}", e);
        }
        CompiledPlan compiled;
        try
        {
            compiled = CompiledPlan.Build(plan, _engine, _lt, _dnn, _stream, _options.AllowTf32, _options.Precision == Precision.Fp8);
        }
        catch (NotSupportedException e)
        {
            throw new ModelLoadException($"cannot run model '{ModelName}' on the GPU: {e.Message}", e);
        }
        if (_plans.Count >= MaxPlans)
        {
            var oldest = _planOrder.Dequeue();
            _plans.Remove(oldest, out var evicted);
            evicted?.Dispose();
        }
        _plans[key] = compiled;
        _planOrder.Enqueue(key);
        return compiled;
    }

    private static TensorInfo[] Describe(IEnumerable<Value> values, IReadOnlyDictionary<string, long> bindings) =>
        [.. values.Select(v => new TensorInfo(v.Name, v.Type?.ElementType ?? TensorDataType.Undefined,
            (v.Type?.Shape ?? new TensorShape([])).Bind(bindings)))];
}
