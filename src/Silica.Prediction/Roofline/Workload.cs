using Silica.Onnx.Cost;
using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;

namespace Silica.Prediction;

/// <summary>
/// A model's kernels at one batch size, with the memory it needs: what the roofline predicts from. Build one per
/// batch size with <see cref="WorkloadBuilder"/>; shape-only nodes (Reshape, Identity...) launch no kernel and are left out.
/// </summary>
public sealed class Workload
{
    /// <summary>Creates a workload from its kernels.</summary>
    public Workload(int batch, IReadOnlyList<KernelWork> kernels, long parameterBytes, double peakActivationBytes, int storedElementBytes, int unknownNodes, long parameterCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentNullException.ThrowIfNull(kernels);
        Batch = batch;
        Kernels = kernels;
        ParameterBytes = parameterBytes;
        PeakActivationBytes = peakActivationBytes;
        StoredElementBytes = storedElementBytes;
        UnknownNodes = unknownNodes;
        ParameterCount = parameterCount;
    }

    /// <summary>Samples per run.</summary>
    public int Batch { get; }

    /// <summary>The kernels, in execution order.</summary>
    public IReadOnlyList<KernelWork> Kernels { get; }

    /// <summary>Distinct floating-point parameters.</summary>
    public long ParameterCount { get; }

    /// <summary>Bytes of the distinct floating-point parameters as stored.</summary>
    public long ParameterBytes { get; }

    /// <summary>The largest activation working set of any one kernel (its inputs and outputs), as stored.</summary>
    public double PeakActivationBytes { get; }

    /// <summary>Bytes per element of the model's stored floating-point tensors (4 for FP32 models).</summary>
    public int StoredElementBytes { get; }

    /// <summary>Nodes the cost model could not count (their cost is missing from the prediction).</summary>
    public int UnknownNodes { get; }

    /// <summary>Total FLOPs.</summary>
    public double Flops => Kernels.Sum(k => k.Flops);
}

/// <summary>Turns a model into <see cref="Workload"/>s at any batch size (shape inference and cost per size, cached).</summary>
public sealed class WorkloadBuilder
{
    private readonly byte[] _modelBytes;
    private readonly IReadOnlyDictionary<string, long> _bindings;
    private readonly string? _batchSymbol;
    private readonly Dictionary<int, Workload> _cache = [];

    /// <summary>
    /// Prepares to cost <paramref name="model"/> (weights are not needed: shapes come from the graph). The batch is
    /// the leading symbolic dimension; <paramref name="bindings"/> size the others (e.g. <c>seq=128</c>).
    /// </summary>
    public WorkloadBuilder(OnnxModel model, IReadOnlyDictionary<string, long> bindings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(bindings);
        _modelBytes = model.ToBytes();
        _bindings = bindings;
        var symbols = model.Graph.SymbolicDimensions();
        foreach (var name in bindings.Keys)
        {
            if (!symbols.Contains(name))
            {
                throw new ArgumentException($"--bind names '{name}', which the model does not have" +
                    (symbols.Count > 0 ? $" (its symbolic dimensions: {string.Join(", ", symbols)})" : " (it has no symbolic dimensions)"));
            }
        }
        var free = symbols.Where(s => !bindings.ContainsKey(s)).ToList();
        _batchSymbol = free.FirstOrDefault();
        if (free.Count > 1)
        {
            // The leading free symbol is the batch; any other must be sized, or shapes (and costs) stay unknown.
            throw new ArgumentException($"bind the model's other symbolic dimensions with --bind, e.g. --bind {string.Join(",", free.Skip(1).Select(s => s + "=N"))} " +
                $"('{free[0]}' is taken as the batch)");
        }
    }

    /// <summary>True when the model has a free batch dimension; otherwise only its fixed batch can be costed.</summary>
    public bool HasBatchDimension => _batchSymbol is not null;

    /// <summary>The workload at <paramref name="batch"/> samples per run.</summary>
    /// <exception cref="ArgumentException">The model has a fixed batch and <paramref name="batch"/> is not 1.</exception>
    public Workload At(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        lock (_cache)
        {
            if (_cache.TryGetValue(batch, out var cached))
            {
                return cached;
            }
            if (_batchSymbol is null && batch != 1)
            {
                throw new ArgumentException($"the model has no symbolic batch dimension, so batch {batch} cannot be costed");
            }
            var model = OnnxModel.Load(_modelBytes);
            var bindings = new Dictionary<string, long>(_bindings);
            if (_batchSymbol is not null)
            {
                bindings[_batchSymbol] = batch;
            }
            ShapeInferencer.Infer(model, bindings);
            var workload = Build(batch, model);
            var costed = workload.Kernels.Count + workload.UnknownNodes;
            if (workload.UnknownNodes > 0 && workload.UnknownNodes * 4 > costed)
            {
                throw new ArgumentException($"{workload.UnknownNodes} of {costed} operators have shapes Silica cannot infer, so a prediction would miss most of the work");
            }
            _cache[batch] = workload;
            return workload;
        }
    }

    private static Workload Build(int batch, OnnxModel model)
    {
        var cost = CostModel.Analyze(model);
        var byName = model.Graph.Nodes.GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var kernels = new List<KernelWork>(cost.Nodes.Count);
        var fusion = new Dictionary<Node, FusionKind>();
        double peak = 0;
        foreach (var n in cost.Nodes)
        {
            if (n.OpClass == OpClass.ShapeOnly || !n.IsKnown)
            {
                continue;
            }
            var node = byName.GetValueOrDefault(n.NodeName);
            var kind = node is null ? FusionKind.None : FusionOf(node, fusion);
            if (node is not null)
            {
                fusion[node] = kind;
            }
            // Weight traffic is what the node reads of its parameters: all of a GEMM's weights, only the looked-up rows
            // of an embedding table (the cost model counts a Gather's read as the rows it writes).
            var weights = Math.Min(n.ParameterBytes, n.BytesRead);
            var activation = n.BytesRead - weights + n.BytesWritten;
            peak = Math.Max(peak, activation);
            kernels.Add(new KernelWork(n.NodeName, n.OpClass, GroupOf(n, node), n.Flops, activation, weights, kind));
        }
        var elementBytes = cost.ParameterCount > 0 ? (int)Math.Clamp(Math.Round((double)cost.ParameterBytes / cost.ParameterCount), 1, 8) : 4;
        return new Workload(batch, kernels, cost.ParameterBytes, peak, elementBytes, cost.UnknownNodes, cost.ParameterCount);
    }

    /// <summary>
    /// Epilogue when the node is a cheap per-element op on the sole output of a GEMM/conv (or of an op fused into one);
    /// chain when it follows another vector kernel's sole output. Nodes are visited in topological order, so producers
    /// are already classified.
    /// </summary>
    private static FusionKind FusionOf(Node node, Dictionary<Node, FusionKind> fused)
    {
        if (!IsPerElement(node))
        {
            return FusionKind.None;
        }
        foreach (var input in node.Inputs)
        {
            // The producer's output must not be needed elsewhere in memory: read by this node alone, or only by other
            // per-element ops (GELU's x feeds both a divide and a multiply), which a fusing runtime computes in the same pass.
            if (input?.Producer is not { } producer || input.IsInitializer || input.IsGraphOutput || !input.Consumers.All(IsPerElement))
            {
                continue;
            }
            var producerClass = CostModel.Classify(producer.OpType, producer.Domain);
            if (producerClass is OpClass.Gemm or OpClass.Conv || fused.GetValueOrDefault(producer) == FusionKind.Epilogue)
            {
                return FusionKind.Epilogue;
            }
            if (producerClass is not (OpClass.ShapeOnly or OpClass.Other))
            {
                return FusionKind.Chain;
            }
        }
        return FusionKind.None;
    }

    private static bool IsPerElement(Node node) =>
        CostModel.Classify(node.OpType, node.Domain) is OpClass.Elementwise or OpClass.Activation || node.OpType == "BatchNormalization";

    private static OpGroup GroupOf(NodeCost cost, Node? node) => cost.OpClass switch
    {
        OpClass.Gemm or OpClass.Attention => OpGroup.Gemm,
        OpClass.Conv => node is not null && node.Attributes.GetInt("group", 1) > 1 ? OpGroup.Depthwise : OpGroup.Conv,
        _ => OpGroup.Vector,
    };
}
