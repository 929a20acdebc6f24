using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

/// <summary>
/// Executes an <see cref="ExecutionPlan"/> on the CPU, step by step, with the semantics documented on each step record.
/// It is the oracle for the planner (plan vs ONNX Runtime without a GPU) and for the CUDA engine (device buffers vs
/// these, step by step through <see cref="AfterStep"/>). Values are computed in float (accumulations in float or
/// double) and rounded on store into each buffer's type, so half/bfloat16/FP8 buffers show the device's rounding.
/// </summary>
internal sealed partial class PlanInterpreter
{
    private readonly ExecutionPlan _plan;
    private readonly bool _checkArena;
    private readonly Memory<byte>[] _storage;
    private readonly byte[]? _arena;

    // Weights never change: decode them once.
    private readonly Dictionary<int, float[]> _weightFloats = [];

    /// <param name="plan">The plan to execute.</param>
    /// <param name="checkArena">
    /// Place Input, Output and Arena buffers at their planned offsets in one arena of <see cref="ExecutionPlan.ArenaBytes"/>
    /// (filled with 0xFF before each run) instead of giving each its own array, so that a memory plan that lets two live
    /// buffers overlap, or a step that reads what no step wrote, shows up as wrong outputs.
    /// </param>
    public PlanInterpreter(ExecutionPlan plan, bool checkArena = false)
    {
        _plan = plan;
        _checkArena = checkArena;
        _storage = new Memory<byte>[plan.Buffers.Count];
        if (checkArena)
        {
            _arena = new byte[checked((int)plan.ArenaBytes)];
        }
        foreach (var buffer in plan.Buffers)
        {
            if (buffer.Kind != BufferKind.View)
            {
                _storage[buffer.Id] = Allocate(buffer);
            }
        }
        foreach (var buffer in plan.Buffers)
        {
            if (buffer.Kind == BufferKind.View)
            {
                var baseBuffer = plan[buffer.ViewOf];
                if (baseBuffer.Kind == BufferKind.View || buffer.ByteSize > baseBuffer.ByteSize)
                {
                    throw new InvalidOperationException($"view {buffer} does not fit its base {baseBuffer}");
                }
                _storage[buffer.Id] = _storage[baseBuffer.Id][..checked((int)buffer.ByteSize)];
            }
        }
    }

    /// <summary>Called after each step with its index in <see cref="ExecutionPlan.Steps"/> (buffers hold its results).</summary>
    public Action<int, Step>? AfterStep { get; set; }

    public ExecutionPlan Plan => _plan;

    /// <summary>Runs the plan: inputs in <see cref="ExecutionPlan.Inputs"/> order as little-endian bytes of each input buffer's type.</summary>
    /// <returns>The outputs' bytes in <see cref="ExecutionPlan.Outputs"/> order.</returns>
    public IReadOnlyList<byte[]> Run(IReadOnlyList<byte[]> inputs)
    {
        if (inputs.Count != _plan.Inputs.Count)
        {
            throw new ArgumentException($"the plan has {_plan.Inputs.Count} inputs, got {inputs.Count}", nameof(inputs));
        }
        _arena?.AsSpan().Fill(0xFF);
        for (var i = 0; i < inputs.Count; i++)
        {
            var buffer = _plan[_plan.Inputs[i]];
            if (inputs[i].Length != buffer.ByteSize)
            {
                throw new ArgumentException($"input {i} ({buffer}) needs {buffer.ByteSize} bytes, got {inputs[i].Length}", nameof(inputs));
            }
            inputs[i].CopyTo(_storage[buffer.Id]);
        }
        for (var i = 0; i < _plan.Steps.Count; i++)
        {
            var step = _plan.Steps[i];
            try
            {
                Execute(step);
            }
            catch (Exception e) when (e is not StepFailedException)
            {
                throw new StepFailedException($"step {i} ({step.GetType().Name} '{step.Name}') failed: {e.Message}", e);
            }
            AfterStep?.Invoke(i, step);
        }
        return [.. _plan.Outputs.Select(BufferBytes)];
    }

    /// <summary>
    /// A copy of a buffer's bytes now (after the last run, or during <see cref="AfterStep"/>). A view shows its base's
    /// bytes. With checkArena, a buffer whose arena slot was reused later holds the later buffer's bytes.
    /// </summary>
    public byte[] BufferBytes(int bufferId) => _storage[bufferId].ToArray();

    /// <summary>A buffer's current values decoded to float (for comparisons in tests and tools).</summary>
    public float[] BufferFloats(int bufferId) => HostTensorMath.DecodeFloats(_storage[bufferId].Span, _plan[bufferId].Type);

    private Memory<byte> Allocate(PlanBuffer buffer)
    {
        var size = checked((int)buffer.ByteSize);
        switch (buffer.Kind)
        {
            case BufferKind.Weight:
                var data = buffer.Data ?? throw new InvalidOperationException($"weight {buffer} has no data");
                if (data.Length != size)
                {
                    throw new InvalidOperationException($"weight {buffer} holds {data.Length} bytes, expected {size}");
                }
                return data;
            case BufferKind.Input or BufferKind.Output or BufferKind.Arena when _arena is not null:
                if (buffer.Offset < 0 || buffer.Offset + size > _arena.Length)
                {
                    throw new InvalidOperationException($"{buffer} at offset {buffer.Offset} overruns the {_arena.Length}-byte arena");
                }
                return _arena.AsMemory(checked((int)buffer.Offset), size);
            default:
                return new byte[size];
        }
    }

    private void Execute(Step step)
    {
        switch (step)
        {
            case GemmStep s: Gemm(s); break;
            case ConvStep s: Conv(s); break;
            case ConvTransposeStep s: ConvTranspose(s); break;
            case PoolStep s: Pool(s); break;
            case ElementwiseStep s: Elementwise(s); break;
            case LayerNormStep s: LayerNorm(s); break;
            case SoftmaxStep s: Softmax(s); break;
            case AttentionStep s: Attention(s); break;
            case TransposeStep s: Transpose(s); break;
            case GatherStep s: Gather(s); break;
            case ConcatStep s: Concat(s); break;
            case SliceStep s: Slice(s); break;
            case ReduceStep s: Reduce(s); break;
            case CastStep s: Cast(s); break;
            case CopyStep s: Copy(s); break;
            case ResizeStep s: Resize(s); break;
            case ExpandStep s: Expand(s); break;
            default: throw new NotSupportedException($"the reference interpreter has no {step.GetType().Name}");
        }
    }

    private PlanBuffer Buf(int id) => _plan[id];

    private Span<byte> Bytes(int id) => _storage[id].Span;

    /// <summary>The buffer's values as float (a fresh array the caller may modify, except cached weights: never written).</summary>
    private float[] Floats(int id)
    {
        var buffer = _plan[id];
        if (buffer.Kind == BufferKind.Weight)
        {
            lock (_weightFloats)
            {
                if (!_weightFloats.TryGetValue(id, out var cached))
                {
                    cached = HostTensorMath.DecodeFloats(_storage[id].Span, buffer.Type);
                    _weightFloats[id] = cached;
                }
                return cached;
            }
        }
        return HostTensorMath.DecodeFloats(_storage[id].Span, buffer.Type);
    }

    private float[]? FloatsOrNull(int id) => id < 0 ? null : Floats(id);

    private long[] Longs(int id) => HostTensorMath.DecodeInt64s(_storage[id].Span, _plan[id].Type);

    private void Store(int id, ReadOnlySpan<float> values)
    {
        CheckCount(id, values.Length);
        HostTensorMath.EncodeFloats(values, _plan[id].Type, _storage[id].Span);
    }

    private void Store(int id, ReadOnlySpan<long> values)
    {
        CheckCount(id, values.Length);
        HostTensorMath.EncodeInt64s(values, _plan[id].Type, _storage[id].Span);
    }

    private void CheckCount(int id, int count)
    {
        if (_plan[id].ElementCount != count)
        {
            throw new InvalidOperationException($"computed {count} values for {_plan[id]}");
        }
    }

    private static int Count(long n) => checked((int)n);
}
