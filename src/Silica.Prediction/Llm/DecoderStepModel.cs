namespace Silica.Prediction.Llm;

/// <summary>
/// The time of one forward step of a decoder on a replica: a roofline over the step's two kinds of work. Dense layers
/// do 2·(matmul parameters)·tokens FLOPs and stream every weight once per step; attention does 4·layers·heads·head_dim
/// FLOPs per query-key pair and streams the cached keys and values of every sequence once. Each part takes the larger
/// of its compute time (FLOPs at peak × the prior's GEMM efficiency, ramped for small kernels) and its memory time
/// (bytes at bandwidth × the prior's memory efficiency). Kernel launches and, across tensor-parallel devices, two ring
/// all-reduces per layer come on top. Decode at small batch is memory-bound (weights + KV per step); prefill and large
/// batches are compute-bound.
/// </summary>
public sealed class DecoderStepModel
{
    /// <summary>
    /// Share of a catalog link figure one ring direction achieves. Catalog link figures are bidirectional aggregates
    /// (NVLink 4: 900 GB/s = 450 GB/s each way; PCIe Gen4 x16: 64 = 32 each way), and NCCL's ring all-reduce reaches
    /// about 80% of one direction's bus bandwidth on large messages (nccl-tests busbw on DGX H100 ≈ 360-400 GB/s).
    /// </summary>
    public const double LinkEfficiency = 0.4;

    /// <summary>
    /// Fixed cost of one all-reduce, seconds: NCCL's small-message latency within a node is ~10 µs (decode all-reduces
    /// carry a few KB per sequence, so latency, not bandwidth, dominates them).
    /// </summary>
    public const double AllReduceLatencySeconds = 10e-6;

    /// <summary>
    /// Kernels per layer in a fused runtime (graph compilers, TensorRT-LLM, vLLM's CUDA graphs): two norms, QKV, rotary
    /// + attention, output projection, gate-up, activation, down projection, two residual adds.
    /// </summary>
    public const int FusedKernelsPerLayer = 10;

    /// <summary>Kernels per layer of an unfused ONNX decoder export when the graph is not at hand to count them.</summary>
    public const int UnfusedKernelsPerLayer = 40;

    private readonly DecoderShape _shape;
    private readonly DecoderReplica _replica;
    private readonly double _denseFlopsPerToken;
    private readonly double _logitFlopsPerToken;
    private readonly double _attentionFlopsPerPair;
    private readonly double _weightBytes;
    private readonly double _kvBytesPerToken;
    private readonly double _computeRate;
    private readonly double _memoryRate;
    private readonly double _halfFlops;
    private readonly double _overheadSeconds;
    private readonly int _matmulsPerStep;

    /// <summary>Prepares the model for <paramref name="shape"/> on <paramref name="replica"/>.</summary>
    /// <exception cref="ArgumentException">The shape is inconsistent.</exception>
    public DecoderStepModel(DecoderShape shape, DecoderReplica replica)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(replica);
        shape.Validate();
        _shape = shape;
        _replica = replica;
        var head = (double)shape.Vocab * shape.Hidden;
        _logitFlopsPerToken = 2 * head;
        _denseFlopsPerToken = 2 * (shape.MatmulParameters - head);
        _attentionFlopsPerPair = 4.0 * shape.Layers * shape.Heads * shape.HeadDim;
        _weightBytes = shape.MatmulParameters * (double)Precision.ElementBytes(replica.Precision);
        // With more devices than KV heads, each device keeps a whole head: the cache is replicated tp/kvHeads times.
        var kvReplication = Math.Max(1.0, (double)replica.TensorParallel / shape.KvHeads);
        _kvBytesPerToken = shape.KvBytesPerToken(replica.KvElementBytes) * kvReplication;
        var prior = replica.Prior;
        _computeRate = replica.PeakFlops * prior.Compute[OpGroup.Gemm];
        _memoryRate = replica.BandwidthBytesPerSecond * prior.MemoryEfficiency;
        // The ramp is per kernel on one device: a tensor-parallel shard of a GEMM is tp times smaller.
        _halfFlops = prior.HalfEfficiencyMflop * 1e6;
        _matmulsPerStep = 7 * shape.Layers * replica.TensorParallel;
        var kernels = prior.FusesChains
            ? (FusedKernelsPerLayer * shape.Layers) + 4
            : shape.GraphKernels ?? ((UnfusedKernelsPerLayer * shape.Layers) + 10);
        _overheadSeconds = (prior.FixedOverheadUs + (prior.KernelOverheadUs * kernels)) * 1e-6;
    }

    /// <summary>The decoder.</summary>
    public DecoderShape Shape => _shape;

    /// <summary>The replica.</summary>
    public DecoderReplica Replica => _replica;

    /// <summary>Bytes of one token's keys and values across the replica (replication under wide tensor parallelism included).</summary>
    public double KvBytesPerToken => _kvBytesPerToken;

    /// <summary>The step's time, split into calibration parts, before calibration.</summary>
    public StepTime Time(in StepLoad load)
    {
        var denseFlops = (_denseFlopsPerToken * load.NewTokens) + (_logitFlopsPerToken * load.LogitTokens);
        var perKernel = denseFlops / _matmulsPerStep;
        var ramp = perKernel / (perKernel + _halfFlops);
        var denseCompute = denseFlops / (_computeRate * ramp);
        var denseMemory = _weightBytes / _memoryRate;

        var attentionFlops = _attentionFlopsPerPair * load.AttentionPairs;
        var attentionCompute = attentionFlops / _computeRate;
        var attentionMemory = _kvBytesPerToken * (load.CachedTokensRead + load.NewTokens) / _memoryRate;

        double gemm = 0, attention = 0, memory = 0;
        if (denseCompute >= denseMemory)
        {
            gemm = denseCompute;
        }
        else
        {
            memory += denseMemory;
        }
        if (attentionCompute >= attentionMemory)
        {
            attention = attentionCompute;
        }
        else
        {
            memory += attentionMemory;
        }
        return new StepTime(gemm, attention, memory, _overheadSeconds, Communication(load.NewTokens));
    }

    /// <summary>The step's time in seconds under <paramref name="factors"/>.</summary>
    public double Seconds(in StepLoad load, CalibrationFactors factors) => Time(load).Seconds(factors);

    /// <summary>
    /// Two ring all-reduces per layer (after attention and after the feed-forward block) of the step's activations:
    /// 2·(tp−1)/tp of the message crosses each device's link, plus a fixed latency per all-reduce.
    /// </summary>
    private double Communication(long tokens)
    {
        var tp = _replica.TensorParallel;
        if (tp <= 1)
        {
            return 0;
        }
        var link = _replica.LinkBytesPerSecond
            ?? throw new NotSupportedException($"{_replica.Device.Id} has no interconnect bandwidth in the catalog, so tensor parallelism cannot be costed");
        var bytes = (double)tokens * _shape.Hidden * _replica.ActivationElementBytes;
        var perAllReduce = (2.0 * (tp - 1) / tp * bytes / (link * LinkEfficiency)) + AllReduceLatencySeconds;
        return 2 * _shape.Layers * perAllReduce;
    }
}
