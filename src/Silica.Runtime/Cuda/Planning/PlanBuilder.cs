using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// The mutable state of one planning run: which ONNX values are constants, which have buffers, which are fused
/// elementwise expressions still waiting for their consumer, and the steps emitted so far (in execution order).
/// </summary>
internal sealed partial class PlanBuilder
{
    private readonly Dictionary<Value, Constant> _constants = [];
    private readonly Dictionary<Value, int> _bufferOf = [];
    private readonly Dictionary<Value, PendingExpr> _pending = [];
    private readonly HashSet<Node> _done = [];
    private readonly Dictionary<Value, Action> _deferred = [];

    public PlanBuilder(OnnxModel model, PlanOptions options)
    {
        Model = model;
        Options = options;
        Opset = model.Opset == 0 ? 22 : model.Opset;
    }

    public OnnxModel Model { get; }

    public PlanOptions Options { get; }

    public long Opset { get; }

    public List<PlanBuffer> Buffers { get; } = [];

    public List<Step> Steps { get; } = [];

    public List<string> Notes { get; } = [];

    public List<int> Inputs { get; } = [];

    /// <summary>Weight buffers read as LayerNorm scale/bias: kept FP32 whatever the precision.</summary>
    public HashSet<int> Fp32Weights { get; } = [];

    /// <summary>Weight buffers used as GEMM B operands (FP8 candidates).</summary>
    public HashSet<int> GemmBWeights { get; } = [];

    /// <summary>A node a pattern has absorbed; the main loop skips it.</summary>
    public void MarkDone(Node node) => _done.Add(node);

    public bool IsDone(Node node) => _done.Contains(node);

    // ---- constants ----

    public void AddConstant(Value v, HostTensor t) => _constants[v] = new Constant(null, t);

    public void AddInitializer(Value v) => _constants[v] = new Constant(v.Initializer, null);

    public bool IsConstant(Value? v) => v is not null && _constants.ContainsKey(v);

    /// <summary>The constant's values (decoded once, on first use), or null when <paramref name="v"/> is not a constant.</summary>
    public HostTensor? ConstantOf(Value? v)
    {
        if (v is null || !_constants.TryGetValue(v, out var c))
        {
            return null;
        }
        if (c.Host is null)
        {
            var host = HostTensor.FromProto(c.Proto!) ?? throw new PlanException($"constant '{v.Name}' has no usable data (weightless model or unsupported type)");
            c = c with { Host = host };
            _constants[v] = c;
        }
        return c.Host;
    }

    /// <summary>The constant's element count without decoding it.</summary>
    public long ConstantCount(Value v) => _constants[v] switch
    {
        { Host: { } h } => h.Count,
        { Proto: { } p } => TensorData.ElementCount(p),
        _ => 0,
    };

    /// <summary>A scalar constant (any shape with one element), or null.</summary>
    public double? ScalarOf(Value? v) => v is not null && IsConstant(v) && ConstantCount(v) == 1 ? ConstantOf(v)!.GetDouble(0) : null;

    // ---- shapes and uses ----

    public static long[] ShapeOf(Value v) => v.Type?.Shape?.ToArray() ?? throw new PlanException($"value '{v.Name}' has no concrete shape");

    public static TensorDataType TypeOf(Value v) => v.Type?.ElementType ?? throw new PlanException($"value '{v.Name}' has no type");

    /// <summary>Readers of the value, counting a graph output as one more reader.</summary>
    public static int UseCount(Value v) => v.Consumers.Count + (v.IsGraphOutput ? 1 : 0);

    /// <summary>The value's only consumer when it has exactly one use and is not a graph output.</summary>
    public Node? SoleConsumer(Value v) => UseCount(v) == 1 && v.Consumers.Count == 1 && !IsDone(v.Consumers[0]) ? v.Consumers[0] : null;

    // ---- buffers ----

    public int NewBuffer(string name, TensorDataType type, long[] shape, BufferKind kind)
    {
        var b = new PlanBuffer { Id = Buffers.Count, Name = name, Type = type, Shape = shape, Kind = kind };
        Buffers.Add(b);
        return b.Id;
    }

    /// <summary>A fresh arena buffer for a node output, registered as that value's buffer.</summary>
    public int OutputBuffer(Value v)
    {
        var id = NewBuffer(v.Name, TypeOf(v), ShapeOf(v), BufferKind.Arena);
        _bufferOf[v] = id;
        return id;
    }

    /// <summary>Registers <paramref name="v"/> as living in an existing buffer (the last node of a fused pattern).</summary>
    public void Bind(Value v, int buffer) => _bufferOf[v] = buffer;

    /// <summary>A view of <paramref name="baseId"/> with another shape (chains resolved to the root).</summary>
    public int View(int baseId, string name, long[] shape)
    {
        var root = Buffers[baseId].Kind == BufferKind.View ? Buffers[baseId].ViewOf : baseId;
        var id = NewBuffer(name, Buffers[root].Type, shape, BufferKind.View);
        Buffers[id].ViewOf = root;
        return id;
    }

    public int InputBuffer(Value v, int graphIndex)
    {
        var id = NewBuffer(v.Name, TypeOf(v), ShapeOf(v), BufferKind.Input);
        Buffers[id].GraphIndex = graphIndex;
        _bufferOf[v] = id;
        Inputs.Add(id);
        return id;
    }

    public bool HasBuffer(Value v) => _bufferOf.ContainsKey(v);

    /// <summary>True when <paramref name="v"/> can be read now (a buffer, constant, pending or deferred producer already seen).</summary>
    public bool IsAvailable(Value v) => _bufferOf.ContainsKey(v) || _constants.ContainsKey(v) || _pending.ContainsKey(v) || _deferred.ContainsKey(v);

    /// <summary>Postpones a node's lowering until its output is read, so a later pattern may look through it instead.</summary>
    public void Defer(Value v, Action lower) => _deferred[v] = lower;

    public bool IsDeferred(Value v) => _deferred.ContainsKey(v);

    /// <summary>A pattern absorbed the deferred node: it is never lowered.</summary>
    public void DropDeferred(Value v) => _deferred.Remove(v);

    /// <summary>
    /// The buffer holding <paramref name="v"/>: a constant becomes a Weight on first use, a pending fused expression
    /// is emitted now (its consumer could not absorb it).
    /// </summary>
    public int Buf(Value v)
    {
        if (_bufferOf.TryGetValue(v, out var id))
        {
            return id;
        }
        if (_constants.TryGetValue(v, out var c))
        {
            id = NewBuffer(v.Name, c.Host?.Type ?? (TensorDataType)c.Proto!.DataType, c.Host?.Dims ?? [.. c.Proto!.Dims], BufferKind.Weight);
            Buffers[id].Data = WeightBytes(v, c, Buffers[id].Type);
            _bufferOf[v] = id;
            return id;
        }
        if (_deferred.Remove(v, out var lower))
        {
            lower();
            return _bufferOf[v];
        }
        if (_pending.Remove(v, out var p))
        {
            id = OutputBuffer(v);
            EmitElementwise(p.Node, p.Inputs, id, p.Expr);
            return id;
        }
        throw new PlanException($"value '{v.Name}' is read before any step produces it");
    }

    /// <summary>A weight buffer made from host values (folded BN, reshaped scales...).</summary>
    public int WeightBuffer(string name, HostTensor t)
    {
        var id = NewBuffer(name, t.Type, t.Dims, BufferKind.Weight);
        Buffers[id].Data = t.ToBytes(t.Type);
        return id;
    }

    private byte[] WeightBytes(Value v, Constant c, TensorDataType type)
    {
        // Raw initializer bytes are already dense little-endian in the tensor's type: copy them without decoding.
        if (c.Host is null && c.Proto is { } p && !p.RawData.IsEmpty && p.DataLocation != TensorProto.Types.DataLocation.External)
        {
            return p.RawData.ToByteArray();
        }
        return ConstantOf(v)!.ToBytes(type);
    }

    public void Emit(Step step) => Steps.Add(step);

    public void Note(string line) => Notes.Add(line);

    private sealed record Constant(TensorProto? Proto, HostTensor? Host);
}
