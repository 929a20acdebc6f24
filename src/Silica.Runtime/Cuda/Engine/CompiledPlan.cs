using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Engine.Fp8;
using Silica.Runtime.Cuda.Engine.Ops;
using Silica.Runtime.Cuda.Interop;
using Silica.Runtime.Cuda.Kernels;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>
/// An execution plan made resident on the device: weights uploaded once, one arena for every activation, every step
/// turned into a ready-to-enqueue op. The second run is captured into a CUDA graph and later runs replay it, so a run
/// costs one graph launch instead of hundreds of kernel launches.
/// </summary>
internal sealed class CompiledPlan : IDisposable
{
    /// <summary>cuBLASLt and cuDNN workspace: cuDNN's fastest algorithms for large-batch convolutions ask for more than 64 MiB.</summary>
    public const long WorkspaceBytes = 256L << 20;

    private const long Alignment = 256;

    private readonly List<IDeviceOp> _ops = [];
    private readonly List<List<IDeviceOp>> _opsByStep = [];
    private readonly List<DeviceBuffer> _allocations = [];
    private readonly ulong[] _pointers;
    private readonly bool _useGraphs;
    private CudaGraphExec? _graph;
    private int _runs;

    private CompiledPlan(ExecutionPlan plan, bool useGraphs)
    {
        Plan = plan;
        _pointers = new ulong[plan.Buffers.Count];
        _useGraphs = useGraphs;
    }

    public ExecutionPlan Plan { get; }

    /// <summary>Device bytes this plan holds (arena, weights, workspace, scratch).</summary>
    public long DeviceBytes { get; private set; }

    /// <summary>Whether runs replay a captured CUDA graph.</summary>
    public bool GraphCaptured => _graph is not null;

    /// <summary>Why graph capture was abandoned, if it was.</summary>
    public string? GraphFailure { get; private set; }

    public IReadOnlyList<IDeviceOp> Ops => _ops;

    /// <summary>The ops of each plan step, in step order (for step-by-step diagnosis).</summary>
    public IReadOnlyList<IReadOnlyList<IDeviceOp>> OpsByStep => _opsByStep;

    public ulong PointerOf(int bufferId) => _pointers[bufferId];

    /// <summary>The cuBLASLt/cuDNN workspace (<see cref="WorkspaceBytes"/> bytes).</summary>
    public ulong WorkspacePointer { get; private set; }

    /// <summary>GEMMs that run in FP8 (E4M3 operands, half output).</summary>
    public int Fp8Gemms { get; private set; }

    public static CompiledPlan Build(ExecutionPlan plan, CudaEngineContext engine, CublasLt lt, CuDnn dnn, CudaStream stream, bool tf32, bool fp8 = false)
    {
        var useGraphs = Environment.GetEnvironmentVariable("SILICA_CUDA_GRAPHS") != "0";
        var compiled = new CompiledPlan(plan, useGraphs);
        try
        {
            compiled.Allocate(engine, stream);
            compiled.CreateOps(engine, lt, dnn, stream, tf32, fp8);
            stream.Synchronize();
            return compiled;
        }
        catch
        {
            compiled.Dispose();
            throw;
        }
    }

    /// <summary>Enqueues one run on the stream (inputs must already be in their arena slots).</summary>
    public void Enqueue(CudaStream stream)
    {
        if (_graph is not null)
        {
            _graph.Launch(stream);
            return;
        }
        _runs++;
        if (_useGraphs && _runs == 2 && GraphFailure is null && TryCapture(stream))
        {
            _graph!.Launch(stream);
            return;
        }
        foreach (var op in _ops)
        {
            op.Enqueue(stream);
        }
    }

    public void Dispose()
    {
        _graph?.Dispose();
        foreach (var op in _ops)
        {
            op.Dispose();
        }
        _ops.Clear();
        foreach (var a in _allocations)
        {
            a.Dispose();
        }
        _allocations.Clear();
    }

    private bool TryCapture(CudaStream stream)
    {
        try
        {
            stream.BeginCapture();
            try
            {
                foreach (var op in _ops)
                {
                    op.Enqueue(stream);
                }
            }
            catch
            {
                // End the capture so the stream is usable again, then fall back to eager launches.
                try
                {
                    stream.EndCapture().Dispose();
                }
                catch (CudaException)
                {
                }
                throw;
            }
            _graph = stream.EndCapture();
            return true;
        }
        catch (CudaException e)
        {
            GraphFailure = e.Message;
            return false;
        }
    }

    private DeviceBuffer Alloc(long bytes)
    {
        var b = DeviceBuffer.Allocate(Math.Max(Alignment, bytes));
        _allocations.Add(b);
        DeviceBytes += b.Bytes;
        return b;
    }

    private void Allocate(CudaEngineContext engine, CudaStream stream)
    {
        engine.Context.MakeCurrent();
        var arena = Alloc(Plan.ArenaBytes);
        long weightBytes = 0;
        var weightOffsets = new long[Plan.Buffers.Count];
        foreach (var b in Plan.Buffers)
        {
            if (b.Kind == BufferKind.Weight)
            {
                weightOffsets[b.Id] = weightBytes;
                weightBytes += Align(b.ByteSize);
            }
        }
        var weights = weightBytes > 0 ? Alloc(weightBytes) : null;
        foreach (var b in Plan.Buffers)
        {
            switch (b.Kind)
            {
                case BufferKind.Weight:
                    _pointers[b.Id] = weights!.Pointer + (ulong)weightOffsets[b.Id];
                    var data = b.Data ?? throw new InvalidOperationException($"weight '{b.Name}' has no data");
                    if (data.Length != b.ByteSize)
                    {
                        throw new InvalidOperationException($"weight '{b.Name}' holds {data.Length} bytes; {b.Type.DisplayName()}[{string.Join(',', b.Shape)}] needs {b.ByteSize}");
                    }
                    CudaMemory.CopyHostToDevice(_pointers[b.Id], data);
                    break;
                case BufferKind.Input or BufferKind.Output or BufferKind.Arena:
                    _pointers[b.Id] = arena.Pointer + (ulong)b.Offset;
                    break;
                default:
                    break;
            }
        }
        foreach (var b in Plan.Buffers)
        {
            if (b.Kind == BufferKind.View)
            {
                _pointers[b.Id] = _pointers[b.ViewOf];
            }
        }
        // Zero the arena once so a kernel bug reads zeros, not another run's data, and outputs are deterministic.
        CudaMemory.MemsetAsync(arena.Pointer, 0, arena.Bytes, stream);
    }

    private void CreateOps(CudaEngineContext engine, CublasLt lt, CuDnn dnn, CudaStream stream, bool tf32, bool fp8)
    {
        var fp8Gemms = fp8 ? Fp8Selection.Select(Plan) : [];
        var fp8Launches = new Dictionary<GemmStep, (IReadOnlyList<KernelLaunch> Launches, ScratchArg Scale)>();
        long fp8Activation = 0;
        foreach (var g in fp8Gemms)
        {
            fp8Activation = Math.Max(fp8Activation, g.M * g.K);
            // Each GEMM has its own 4-byte scale (absmax, then absmax/448); the FP8 activation buffer is shared,
            // because one stream runs the GEMMs in turn.
            var scale = new ScratchArg(4);
            fp8Launches[g] = (KernelEmitter.Fp8Quantize(Plan[g.A].Type, g.M * g.K, new BufferArg(g.A), new ScratchArg(-1), scale), scale);
        }
        // Emit every kernel first so all distinct sources compile in one parallel batch.
        var launches = new List<(Step Step, IReadOnlyList<KernelLaunch> Launches)>();
        long scratchBytes = 0;
        foreach (var step in Plan.Steps)
        {
            var list = KernelEmitter.Handles(step) ? KernelEmitter.Emit(step, Plan) : EngineKernels(step, Plan);
            launches.Add((step, list));
            foreach (var l in list)
            {
                foreach (var a in l.Args)
                {
                    if (a is ScratchArg s)
                    {
                        scratchBytes += Align(s.Bytes);
                    }
                }
            }
        }
        engine.Kernels.Prepare(launches.SelectMany(l => l.Launches).Concat(fp8Launches.Values.SelectMany(l => l.Launches)).Select(l => l.Source), engine.Context);
        scratchBytes += fp8Gemms.Count * 2 * Alignment;
        var fp8Buffer = fp8Activation > 0 ? Alloc(fp8Activation) : null;
        var workspace = Alloc(WorkspaceBytes);
        WorkspacePointer = workspace.Pointer;
        var scratch = scratchBytes > 0 ? Alloc(scratchBytes) : null;
        long scratchNext = 0;
        // Scratch is per argument instance: launches that share an instance share the memory.
        var scratchPointers = new Dictionary<ScratchArg, ulong>(ReferenceEqualityComparer.Instance);

        ulong Resolve(KernelArg arg)
        {
            switch (arg)
            {
                case BufferArg b:
                    return _pointers[b.BufferId];
                case ScratchArg { Bytes: -1 }:
                    return fp8Buffer!.Pointer;
                case ScratchArg s when scratchPointers.TryGetValue(s, out var known):
                    return known;
                case ScratchArg s:
                    var p = scratch!.Pointer + (ulong)scratchNext;
                    scratchNext += Align(s.Bytes);
                    scratchPointers[s] = p;
                    return p;
                default:
                    throw new InvalidOperationException($"argument {arg} is not a pointer");
            }
        }

        foreach (var (step, list) in launches)
        {
            var before = _ops.Count;
            AddOps(step, list);
            _opsByStep.Add(_ops.GetRange(before, _ops.Count - before));
        }

        // A GEMM whose GELU cuBLASLt was to fuse, but for which it has no algorithm with that epilogue, runs with the
        // bias epilogue and the engine's exact GELU kernel after it.
        void AddGemm(GemmStep g, Func<bool, GemmOp> create)
        {
            try
            {
                _ops.Add(create(true));
            }
            catch (NotSupportedException) when (g.Activation == Activation.GeluErf && GemmOp.FusesActivation(g, Plan[g.Y].Type))
            {
                _ops.Add(create(false));
                var y = Plan[g.Y];
                var gelu = EpilogueKernel.Create(y.Type, null, null, y.ElementCount, 1, 1, Activation.GeluErf, 0, 0, new BufferArg(g.Y), null, null);
                engine.Kernels.Prepare([gelu.Source], engine.Context);
                _ops.Add(new KernelOp(g.Name, engine.Kernels.Function(gelu.Source, gelu.Entry), gelu, Resolve));
            }
        }

        void AddOps(Step step, IReadOnlyList<KernelLaunch> list)
        {
            switch (step)
            {
                case GemmStep g when fp8Gemms.Contains(g):
                    {
                        var (quantize, scaleArg) = fp8Launches[g];
                        var ops = quantize.Select(l => new KernelOp(step.Name, engine.Kernels.Function(l.Source, l.Entry), l, Resolve)).ToList();
                        var activationScale = Resolve(scaleArg);
                        var (data, scale) = Fp8Weights.Quantize(Plan, g);
                        var weight = Alloc(data.Length);
                        CudaMemory.CopyHostToDevice(weight.Pointer, data);
                        var weightScale = Alloc(Alignment);
                        CudaMemory.CopyHostToDevice(weightScale.Pointer, BitConverter.GetBytes(scale));
                        _ops.AddRange(ops);
                        AddGemm(g, fuseGelu => new GemmOp(lt, g, Plan, id => _pointers[id], workspace.Pointer, (ulong)WorkspaceBytes, tf32,
                            fp8ScaleA: activationScale, fp8ScaleB: weightScale.Pointer, fp8A: fp8Buffer!.Pointer, fp8B: weight.Pointer, fuseGelu: fuseGelu));
                        Fp8Gemms++;
                        break;
                    }
                case GemmStep g:
                    AddGemm(g, fuseGelu => new GemmOp(lt, g, Plan, id => _pointers[id], workspace.Pointer, (ulong)WorkspaceBytes, tf32, fuseGelu: fuseGelu));
                    break;
                case ConvStep c:
                    // The epilogue kernel is the fallback for when cuDNN's fused bias+activation path refuses this convolution.
                    var epilogue = list.Select(l => new KernelOp(step.Name, engine.Kernels.Function(l.Source, l.Entry), l, Resolve)).ToList();
                    _ops.Add(new ConvOp(dnn, c, Plan, id => _pointers[id], workspace.Pointer, WorkspaceBytes, tf32, stream, epilogue));
                    return;
                case ConvTransposeStep t:
                    _ops.Add(new ConvTransposeOp(dnn, t, Plan, id => _pointers[id], workspace.Pointer, WorkspaceBytes, tf32));
                    break;
                case CopyStep copy:
                    _ops.Add(new CopyOp(copy.Name, _pointers[copy.Y], _pointers[copy.X], Plan[copy.Y].ByteSize));
                    break;
                default:
                    if (!KernelEmitter.Handles(step))
                    {
                        throw new NotSupportedException($"the CUDA engine has no implementation for {step.GetType().Name} '{step.Name}'");
                    }
                    break;
            }
            foreach (var l in list)
            {
                _ops.Add(new KernelOp(step.Name, engine.Kernels.Function(l.Source, l.Entry), l, Resolve));
            }
        }
    }

    // The engine's own kernels that follow a library call: activations cuBLASLt/cuDNN cannot fuse, transposed-conv bias.
    internal static List<KernelLaunch> EngineKernels(Step step, ExecutionPlan plan)
    {
        switch (step)
        {
            case GemmStep g when !GemmOp.FusesActivation(g, plan[g.Y].Type):
                {
                    var y = plan[g.Y];
                    return [EpilogueKernel.Create(y.Type, null, null, y.ElementCount, 1, 1, g.Activation, g.ClipMin, g.ClipMax, new BufferArg(g.Y), null, null)];
                }
            case ConvStep c:
                {
                    var y = plan[c.Y];
                    if (c.Bias < 0 && c.Residual < 0 && c.Activation == Activation.None)
                    {
                        return [];
                    }
                    var channels = y.Shape[1];
                    var inner = y.ElementCount / Math.Max(1, y.Shape[0] * channels);
                    return [EpilogueKernel.Create(y.Type, c.Bias >= 0 ? plan[c.Bias].Type : null, c.Residual >= 0 ? plan[c.Residual].Type : null,
                        y.ElementCount, channels, inner, c.Activation, c.ClipMin, c.ClipMax, new BufferArg(c.Y),
                        c.Bias >= 0 ? new BufferArg(c.Bias) : null, c.Residual >= 0 ? new BufferArg(c.Residual) : null)];
                }
            case ConvTransposeStep t when t.Bias >= 0:
                {
                    var y = plan[t.Y];
                    var channels = y.Shape[1];
                    var inner = y.ElementCount / Math.Max(1, y.Shape[0] * channels);
                    return [EpilogueKernel.Create(y.Type, plan[t.Bias].Type, null, y.ElementCount, channels, inner, Activation.None, 0, 0,
                        new BufferArg(t.Y), new BufferArg(t.Bias), null)];
                }
            default:
                return [];
        }
    }

    private static long Align(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
}
