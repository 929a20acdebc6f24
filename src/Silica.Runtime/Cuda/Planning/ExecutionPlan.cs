using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

// The contract between the planner (graph → steps + buffers), the kernel emitters (step → CUDA C launch) and the
// executor (buffers → device pointers, steps → launches). Everything here is plain data, built and tested without a GPU.

/// <summary>Where a plan buffer's bytes live.</summary>
internal enum BufferKind
{
    /// <summary>A graph input: the executor uploads the caller's tensor into its own slot (arena offset below).</summary>
    Input,

    /// <summary>A graph output: lives in the arena; the executor downloads it after the run.</summary>
    Output,

    /// <summary>A constant uploaded once at load (weights, folded constants). <see cref="PlanBuffer.Data"/> holds its bytes in <see cref="PlanBuffer.Type"/>.</summary>
    Weight,

    /// <summary>An intermediate activation at <see cref="PlanBuffer.Offset"/> in the single device arena.</summary>
    Arena,

    /// <summary>The same bytes as another buffer (Reshape, Flatten, Squeeze, Unsqueeze, Identity) seen with another shape.</summary>
    View,
}

/// <summary>A tensor of the plan: concrete shape and element type (after precision assignment).</summary>
internal sealed class PlanBuffer
{
    public required int Id { get; init; }

    /// <summary>The ONNX value name it came from (for errors and profiles).</summary>
    public required string Name { get; init; }

    public required TensorDataType Type { get; set; }

    public required long[] Shape { get; set; }

    public required BufferKind Kind { get; set; }

    /// <summary>Byte offset in the arena (Input, Output, Arena); aligned to 256 bytes.</summary>
    public long Offset { get; set; }

    /// <summary>Host bytes of a Weight, already in <see cref="Type"/> (little-endian, dense, row-major).</summary>
    public byte[]? Data { get; set; }

    /// <summary>For a View: the buffer whose bytes it shares (never itself a View: the planner resolves chains).</summary>
    public int ViewOf { get; set; } = -1;

    /// <summary>For Input/Output: the index among the graph's runtime inputs / outputs.</summary>
    public int GraphIndex { get; set; } = -1;

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Shape)
            {
                n = checked(n * d);
            }
            return n;
        }
    }

    public long ByteSize => checked(Type.ByteCount(ElementCount));

    public override string ToString() => $"#{Id} {Name} {Type}[{string.Join(',', Shape)}] {Kind}";
}

/// <summary>An operation after planning; every buffer id indexes <see cref="ExecutionPlan.Buffers"/>.</summary>
internal abstract record Step(string Name);

/// <summary>Fused activation applied by GEMM and convolution epilogues.</summary>
internal enum Activation
{
    None,
    Relu,

    /// <summary>GELU as ONNX writes it with Erf (x·½·(1+erf(x/√2))).</summary>
    GeluErf,

    /// <summary>Clip(min, max) — Relu6 in MobileNet.</summary>
    Clip,
}

/// <summary>
/// Y[b] = act(alpha · op(A[b]) · op(B[b]) + bias + beta · R[b]), row-major. A is [M,K] (or [K,M] when TransA), B is [K,N]
/// (or [N,K] when TransB); batch strides in elements (0 broadcasts an operand across the batch). Bias has N elements.
/// </summary>
internal sealed record GemmStep(string Name, int A, int B, int Y, int Bias, int Residual,
    long M, long N, long K, long BatchCount, long StrideA, long StrideB, long StrideY,
    bool TransA, bool TransB, float Alpha, float Beta, Activation Activation, float ClipMin = 0, float ClipMax = 0) : Step(Name);

/// <summary>NCHW convolution (2-D; 1-D is planned as 2-D with H=1): Y = act(conv(X, W) + bias + R). Pads are [top, left, bottom, right].</summary>
internal sealed record ConvStep(string Name, int X, int W, int Y, int Bias, int Residual,
    int[] Pads, int[] Strides, int[] Dilations, int Group, Activation Activation, float ClipMin = 0, float ClipMax = 0) : Step(Name);

/// <summary>NCHW transposed convolution (2-D). Pads are [top, left, bottom, right]; output shape is Y's.</summary>
internal sealed record ConvTransposeStep(string Name, int X, int W, int Y, int Bias,
    int[] Pads, int[] Strides, int[] Dilations, int Group) : Step(Name);

internal enum PoolKind
{
    Max,
    Average,
    GlobalAverage,
}

/// <summary>2-D NCHW pooling. Pads are [top, left, bottom, right].</summary>
internal sealed record PoolStep(string Name, PoolKind Kind, int X, int Y, int[] Kernel, int[] Pads, int[] Strides, bool CountIncludePad) : Step(Name);

/// <summary>
/// One fused elementwise kernel: Y[i] = Expr(inputs broadcast to Y's shape, numpy rules, each by its own shape).
/// Computed in float (or int64 when Y is an integer type) whatever the storage type.
/// </summary>
internal sealed record ElementwiseStep(string Name, int[] Inputs, int Y, Expr Expr) : Step(Name);

/// <summary>Y = (X − mean) / sqrt(var + eps) · Scale + Bias over the last <c>Cols</c> elements of each of <c>Rows</c> rows; FP32 accumulation.</summary>
internal sealed record LayerNormStep(string Name, int X, int Scale, int Bias, int Y, long Rows, long Cols, float Epsilon) : Step(Name);

/// <summary>Softmax over the middle axis of X viewed as [Outer, Axis, Inner] (Inner = 1 for the last axis); FP32 accumulation.</summary>
internal sealed record SoftmaxStep(string Name, int X, int Y, long Outer, long Axis, long Inner) : Step(Name);

/// <summary>
/// softmax(scale · Q·Kᵀ + mask) · V for [Batch, Heads, SeqQ, HeadDim] tensors given by element strides (so the planner can
/// point straight into a fused QKV projection or a [B,S,H,D] layout). Mask, if present, is an additive float buffer
/// broadcast by <see cref="MaskStrides"/> over (batch, head, q, k). Output Y is written [Batch, SeqQ, Heads, HeadDim]
/// when <see cref="OutputBshd"/> (ready for the output projection), else [Batch, Heads, SeqQ, HeadDim].
/// </summary>
internal sealed record AttentionStep(string Name, int Q, int K, int V, int Mask, int Y,
    long Batch, long Heads, long SeqQ, long SeqK, long HeadDim, float Scale, bool Causal,
    long[] QStrides, long[] KStrides, long[] VStrides, long[] MaskStrides, bool OutputBshd) : Step(Name);

internal sealed record TransposeStep(string Name, int X, int Y, int[] Perm) : Step(Name);

/// <summary>ONNX Gather: Y = Data.take(Indices, axis); indices are int64 or int32, negative ones count from the end.</summary>
internal sealed record GatherStep(string Name, int Data, int Indices, int Y, int Axis) : Step(Name);

internal sealed record ConcatStep(string Name, int[] Inputs, int Y, int Axis) : Step(Name);

/// <summary>Strided slice: Y[i] = X[Starts + i·Steps] per axis (all ranks' entries present; Steps may be negative).</summary>
internal sealed record SliceStep(string Name, int X, int Y, long[] Starts, long[] Steps) : Step(Name);

internal enum ReduceKind
{
    Sum,
    Mean,
    Max,
    Min,
}

/// <summary>Reduction of X viewed as [Outer, Reduced, Inner] (the planner merges adjacent reduced axes; Y has Outer·Inner elements).</summary>
internal sealed record ReduceStep(string Name, ReduceKind Kind, int X, int Y, long Outer, long Reduced, long Inner) : Step(Name);

/// <summary>Element type conversion (also float ↔ half at graph boundaries), same shape.</summary>
internal sealed record CastStep(string Name, int X, int Y) : Step(Name);

/// <summary>Device-to-device copy of X's bytes into Y (same byte size).</summary>
internal sealed record CopyStep(string Name, int X, int Y) : Step(Name);

internal enum ResizeMode
{
    Nearest,
    Linear,
}

/// <summary>
/// 4-D NCHW resize of the two spatial axes. Source coordinate per axis: (dst + 0.5) / scale − 0.5 for half_pixel,
/// dst / scale for asymmetric, dst · (in−1)/(out−1) for align_corners; nearest rounds per <see cref="NearestRound"/>.
/// </summary>
internal sealed record ResizeStep(string Name, int X, int Y, ResizeMode Mode, string CoordinateMode, string NearestRound,
    float ScaleH, float ScaleW) : Step(Name);

/// <summary>Y = Data broadcast (numpy rules) to Y's shape; also Expand and Tile-free Where inputs.</summary>
internal sealed record ExpandStep(string Name, int X, int Y) : Step(Name);

/// <summary>The planned model: buffers, steps in execution order, and the arena size.</summary>
internal sealed class ExecutionPlan
{
    public required IReadOnlyList<PlanBuffer> Buffers { get; init; }

    public required IReadOnlyList<Step> Steps { get; init; }

    /// <summary>Bytes of the single device arena (Input, Output and Arena buffers), liveness-packed.</summary>
    public required long ArenaBytes { get; init; }

    /// <summary>Buffer ids of the graph's runtime inputs in order (their ONNX element type, shape as bound).</summary>
    public required IReadOnlyList<int> Inputs { get; init; }

    /// <summary>Buffer ids of the graph outputs in order (their ONNX element type).</summary>
    public required IReadOnlyList<int> Outputs { get; init; }

    /// <summary>Total weight bytes uploaded at load.</summary>
    public long WeightBytes { get; init; }

    /// <summary>What the planner did (folded BN, fused chains, views…), one line each, for `--verbose` and tests.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public PlanBuffer this[int id] => Buffers[id];
}
