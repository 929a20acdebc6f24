namespace Silica.Runtime.Backends;

/// <summary>How a backend should load and run a model. The defaults suit a single-model server.</summary>
public sealed record SessionOptions
{
    /// <summary>Threads used inside one operator; 0 lets the backend choose (usually one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads used to run independent operators in parallel (only with <see cref="ExecutionMode.Parallel"/>); 0 = backend default.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>How much the backend may rewrite the graph before running it.</summary>
    public GraphOptimization GraphOptimization { get; init; } = GraphOptimization.All;

    /// <summary>Whether operators run one after another or independent ones in parallel.</summary>
    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    /// <summary>
    /// Fixes symbolic dimensions (<c>batch</c> = 8) at load time, so the backend can plan memory and
    /// specialise kernels; runs must then use exactly these sizes.
    /// </summary>
    public IReadOnlyDictionary<string, long> DimensionBindings { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// Whether idle worker threads spin waiting for work. Spinning lowers latency on a dedicated machine and
    /// wastes CPU on a shared one.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Name used in messages; defaults to the file name or the graph name.</summary>
    public string? ModelName { get; init; }

    /// <summary>
    /// The number format the backend computes in (weights and activations). Graph inputs and outputs keep their
    /// ONNX element types; a backend converts at the boundaries. Backends reject precisions they lack.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Let FP32 matrix products use TF32 tensor cores (10-bit mantissa inputs, FP32 accumulation) where the device has them.</summary>
    public bool AllowTf32 { get; init; }
}

/// <summary>Graph optimization levels, as ONNX Runtime defines them.</summary>
public enum GraphOptimization
{
    /// <summary>No rewriting.</summary>
    Disabled,
    /// <summary>Semantics-preserving rewrites such as constant folding and redundant-node removal.</summary>
    Basic,
    /// <summary>Basic plus operator fusions.</summary>
    Extended,
    /// <summary>Everything, including layout changes.</summary>
    All,
}

/// <summary>Order of operator execution within a run.</summary>
public enum ExecutionMode
{
    /// <summary>One operator at a time (parallelism only inside operators).</summary>
    Sequential,
    /// <summary>Independent operators run in parallel on the inter-op pool.</summary>
    Parallel,
}
