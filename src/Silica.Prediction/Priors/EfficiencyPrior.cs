namespace Silica.Prediction.Priors;

/// <summary>
/// What a device class's runtime typically achieves, as fractions of the catalog's dense peak and bandwidth, with
/// its fixed costs and how far off the prior tends to be. Values and their evidence: docs/prediction.md.
/// </summary>
public sealed record EfficiencyPrior
{
    /// <summary>The runtime these figures assume (e.g. "TensorRT / ONNX Runtime CUDA").</summary>
    public string Runtime { get; init; } = "";

    /// <summary>Fraction of peak FLOP/s reached by large kernels, per op group.</summary>
    public required IReadOnlyDictionary<OpGroup, double> Compute { get; init; }

    /// <summary>Fraction of peak memory bandwidth reached by streaming kernels.</summary>
    public double MemoryEfficiency { get; init; }

    /// <summary>Kernel size, in MFLOP, at which a kernel reaches half its large-kernel efficiency (a big chip needs big kernels).</summary>
    public double HalfEfficiencyMflop { get; init; }

    /// <summary>Cost of launching one kernel, µs.</summary>
    public double KernelOverheadUs { get; init; }

    /// <summary>Fixed cost of one inference (dispatch, host-device copies, synchronisation), µs.</summary>
    public double FixedOverheadUs { get; init; }

    /// <summary>Per doubling of cores, the share of the added compute that is realised (CPUs; 1 for one-chip replicas).</summary>
    public double ParallelEfficiency { get; init; } = 1.0;

    /// <summary>
    /// Whether the runtime compiles the whole graph and fuses chains of elementwise ops into one pass (XLA, Neuron,
    /// TensorRT); operator-at-a-time runtimes (ONNX Runtime CPU) fuse only epilogues.
    /// </summary>
    public bool FusesChains { get; init; }

    /// <summary>
    /// Independent model replicas one chip runs: Neuron places one model per NeuronCore (two per Inferentia2 or
    /// Trainium chip), so a replica gets a share of the chip's peak and bandwidth. 1 for GPUs, TPUs and CPUs.
    /// </summary>
    public int ReplicasPerChip { get; init; } = 1;

    /// <summary>Log-normal sigma of the prior's error: the 90% band is ×exp(±1.645·spread).</summary>
    public double Spread { get; init; }

    /// <summary>Ids of the evidence behind these values (see <see cref="PriorTable.Citations"/>).</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];
}
