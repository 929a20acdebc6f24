namespace Silica.Runtime.Cuda.Planning;

/// <summary>The buffer ids a step reads and writes, and the same step with ids renamed (precision rewrites).</summary>
internal static class StepBuffers
{
    /// <summary>Buffers read by the step (absent optional operands, −1, left out).</summary>
    public static IEnumerable<int> Reads(Step step) => (step switch
    {
        GemmStep s => [s.A, s.B, s.Bias, s.Residual],
        ConvStep s => [s.X, s.W, s.Bias, s.Residual],
        ConvTransposeStep s => [s.X, s.W, s.Bias],
        PoolStep s => [s.X],
        ElementwiseStep s => s.Inputs,
        LayerNormStep s => [s.X, s.Scale, s.Bias],
        SoftmaxStep s => [s.X],
        AttentionStep s => [s.Q, s.K, s.V, s.Mask],
        TransposeStep s => [s.X],
        GatherStep s => [s.Data, s.Indices],
        ConcatStep s => s.Inputs,
        SliceStep s => [s.X],
        ReduceStep s => [s.X],
        CastStep s => [s.X],
        CopyStep s => [s.X],
        ResizeStep s => [s.X],
        ExpandStep s => [s.X],
        _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
    }).Where(id => id >= 0);

    public static int Writes(Step step) => step switch
    {
        GemmStep s => s.Y,
        ConvStep s => s.Y,
        ConvTransposeStep s => s.Y,
        PoolStep s => s.Y,
        ElementwiseStep s => s.Y,
        LayerNormStep s => s.Y,
        SoftmaxStep s => s.Y,
        AttentionStep s => s.Y,
        TransposeStep s => s.Y,
        GatherStep s => s.Y,
        ConcatStep s => s.Y,
        SliceStep s => s.Y,
        ReduceStep s => s.Y,
        CastStep s => s.Y,
        CopyStep s => s.Y,
        ResizeStep s => s.Y,
        ExpandStep s => s.Y,
        _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
    };

    /// <summary>The step with every buffer id passed through <paramref name="map"/> (−1 stays −1).</summary>
    public static Step Remap(Step step, Func<int, int> map)
    {
        int M(int id) => id < 0 ? id : map(id);
        return step switch
        {
            GemmStep s => s with { A = M(s.A), B = M(s.B), Y = M(s.Y), Bias = M(s.Bias), Residual = M(s.Residual) },
            ConvStep s => s with { X = M(s.X), W = M(s.W), Y = M(s.Y), Bias = M(s.Bias), Residual = M(s.Residual) },
            ConvTransposeStep s => s with { X = M(s.X), W = M(s.W), Y = M(s.Y), Bias = M(s.Bias) },
            PoolStep s => s with { X = M(s.X), Y = M(s.Y) },
            ElementwiseStep s => s with { Inputs = [.. s.Inputs.Select(M)], Y = M(s.Y) },
            LayerNormStep s => s with { X = M(s.X), Scale = M(s.Scale), Bias = M(s.Bias), Y = M(s.Y) },
            SoftmaxStep s => s with { X = M(s.X), Y = M(s.Y) },
            AttentionStep s => s with { Q = M(s.Q), K = M(s.K), V = M(s.V), Mask = M(s.Mask), Y = M(s.Y) },
            TransposeStep s => s with { X = M(s.X), Y = M(s.Y) },
            GatherStep s => s with { Data = M(s.Data), Indices = M(s.Indices), Y = M(s.Y) },
            ConcatStep s => s with { Inputs = [.. s.Inputs.Select(M)], Y = M(s.Y) },
            SliceStep s => s with { X = M(s.X), Y = M(s.Y) },
            ReduceStep s => s with { X = M(s.X), Y = M(s.Y) },
            CastStep s => s with { X = M(s.X), Y = M(s.Y) },
            CopyStep s => s with { X = M(s.X), Y = M(s.Y) },
            ResizeStep s => s with { X = M(s.X), Y = M(s.Y) },
            ExpandStep s => s with { X = M(s.X), Y = M(s.Y) },
            _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
        };
    }
}
