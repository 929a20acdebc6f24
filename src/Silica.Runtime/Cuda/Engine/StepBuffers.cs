using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>The buffers a step reads (for byte counts in efficiency reports).</summary>
internal static class StepBuffers
{
    public static IEnumerable<int> Inputs(Step step)
    {
        IEnumerable<int> ids = step switch
        {
            GemmStep g => [g.A, g.B, g.Bias, g.Residual],
            ConvStep c => [c.X, c.W, c.Bias, c.Residual],
            ConvTransposeStep t => [t.X, t.W, t.Bias],
            PoolStep p => [p.X],
            ElementwiseStep e => e.Inputs,
            LayerNormStep l => [l.X, l.Scale, l.Bias],
            SoftmaxStep s => [s.X],
            AttentionStep a => [a.Q, a.K, a.V, a.Mask],
            TransposeStep t => [t.X],
            GatherStep g => [g.Data, g.Indices],
            ConcatStep c => c.Inputs,
            SliceStep s => [s.X],
            ReduceStep r => [r.X],
            CastStep c => [c.X],
            CopyStep c => [c.X],
            ResizeStep r => [r.X],
            ExpandStep e => [e.X],
            _ => [],
        };
        return ids.Where(i => i >= 0).Distinct();
    }
}
