using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;

namespace Silica.Runtime.Tests.Cuda.Reference;

/// <summary>Builds small execution plans by hand: buffers (inputs, weights, outputs, arena) and steps.</summary>
internal sealed class TestPlan
{
    private readonly List<PlanBuffer> _buffers = [];
    private readonly List<Step> _steps = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];
    private long _arenaBytes;

    public int Input(TensorDataType type, params long[] shape)
    {
        var id = Add("in" + _inputs.Count, type, shape, BufferKind.Input, data: null);
        _buffers[id].GraphIndex = _inputs.Count;
        _inputs.Add(id);
        return id;
    }

    public int Weight(TensorDataType type, long[] shape, float[] values) =>
        Add("w" + _buffers.Count, type, shape, BufferKind.Weight, HostTensorMath.ToBytes(values, type));

    public int Weight(TensorDataType type, long[] shape, long[] values) =>
        Add("w" + _buffers.Count, type, shape, BufferKind.Weight, HostTensorMath.ToBytes(values, type));

    public int Output(TensorDataType type, params long[] shape)
    {
        var id = Add("out" + _outputs.Count, type, shape, BufferKind.Output, data: null);
        _buffers[id].GraphIndex = _outputs.Count;
        _outputs.Add(id);
        return id;
    }

    public int Arena(TensorDataType type, params long[] shape) => Add("t" + _buffers.Count, type, shape, BufferKind.Arena, data: null);

    /// <summary>Puts a buffer at an explicit arena offset (to build overlapping layouts on purpose).</summary>
    public void Place(int id, long offset)
    {
        _buffers[id].Offset = offset;
        _arenaBytes = Math.Max(_arenaBytes, offset + _buffers[id].ByteSize);
    }

    public int View(int of, params long[] shape)
    {
        var id = Add("v" + _buffers.Count, _buffers[of].Type, shape, BufferKind.View, data: null);
        _buffers[id].ViewOf = of;
        return id;
    }

    public TestPlan Step(Step step)
    {
        _steps.Add(step);
        return this;
    }

    public ExecutionPlan Build() => new()
    {
        Buffers = _buffers,
        Steps = _steps,
        ArenaBytes = _arenaBytes,
        Inputs = _inputs,
        Outputs = _outputs,
    };

    /// <summary>Runs with float inputs (encoded in each input's type) and decodes the first output as floats.</summary>
    public float[] Run(params float[][] inputs) => RunAll(inputs)[0];

    public float[][] RunAll(params float[][] inputs)
    {
        var plan = Build();
        var bytes = inputs.Select((v, i) => HostTensorMath.ToBytes(v, plan[plan.Inputs[i]].Type)).ToArray();
        var outputs = new PlanInterpreter(plan).Run(bytes);
        return [.. outputs.Select((o, i) => HostTensorMath.DecodeFloats(o, plan[plan.Outputs[i]].Type))];
    }

    private int Add(string name, TensorDataType type, long[] shape, BufferKind kind, byte[]? data)
    {
        var buffer = new PlanBuffer { Id = _buffers.Count, Name = name, Type = type, Shape = shape, Kind = kind, Data = data };
        _buffers.Add(buffer);
        if (kind is BufferKind.Input or BufferKind.Output or BufferKind.Arena)
        {
            // Disjoint 256-aligned slots: a correct (if wasteful) memory plan.
            Place(buffer.Id, (_arenaBytes + 255) / 256 * 256);
        }
        return buffer.Id;
    }
}
