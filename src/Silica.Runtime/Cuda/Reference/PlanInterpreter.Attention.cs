using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

internal sealed partial class PlanInterpreter
{
    /// <summary>
    /// softmax(scale·QKᵀ + mask)·V per (batch, head, query). Causal masks keys after the query aligned to the end
    /// (key k is visible to query q when k ≤ q + SeqK − SeqQ), which is plain k ≤ q for self-attention. A row with every
    /// key masked outputs zeros rather than NaN.
    /// </summary>
    private void Attention(AttentionStep s)
    {
        var q = Floats(s.Q);
        var k = Floats(s.K);
        var v = Floats(s.V);
        var mask = FloatsOrNull(s.Mask);
        var (heads, seqQ, seqK, dim) = (Count(s.Heads), Count(s.SeqQ), Count(s.SeqK), Count(s.HeadDim));
        var y = new float[Count(Buf(s.Y).ElementCount)];
        if (y.Length != s.Batch * heads * seqQ * dim)
        {
            throw new InvalidOperationException($"attention output {Buf(s.Y)} is not Batch·Heads·SeqQ·HeadDim");
        }
        Parallel.For(0, Count(s.Batch) * heads * seqQ, task =>
        {
            var b = task / (heads * seqQ);
            var h = task / seqQ % heads;
            var i = task % seqQ;
            var scores = new double[seqK];
            var max = double.NegativeInfinity;
            var qBase = (b * s.QStrides[0]) + (h * s.QStrides[1]) + (i * s.QStrides[2]);
            for (var j = 0; j < seqK; j++)
            {
                if (s.Causal && j > i + seqK - seqQ)
                {
                    scores[j] = double.NegativeInfinity;
                    continue;
                }
                var kBase = (b * s.KStrides[0]) + (h * s.KStrides[1]) + (j * s.KStrides[2]);
                double dot = 0;
                for (var d = 0; d < dim; d++)
                {
                    dot += (double)q[qBase + (d * s.QStrides[3])] * k[kBase + (d * s.KStrides[3])];
                }
                var score = s.Scale * dot;
                if (mask is not null)
                {
                    score += mask[(b * s.MaskStrides[0]) + (h * s.MaskStrides[1]) + (i * s.MaskStrides[2]) + (j * s.MaskStrides[3])];
                }
                scores[j] = score;
                max = Math.Max(max, score);
            }
            var outBase = s.OutputBshd ? (((b * seqQ) + i) * heads + h) * dim : (((b * heads) + h) * seqQ + i) * dim;
            if (double.IsNegativeInfinity(max))
            {
                return; // every key masked: zeros (y starts zeroed)
            }
            double sum = 0;
            for (var j = 0; j < seqK; j++)
            {
                scores[j] = Math.Exp(scores[j] - max);
                sum += scores[j];
            }
            for (var d = 0; d < dim; d++)
            {
                double acc = 0;
                for (var j = 0; j < seqK; j++)
                {
                    if (scores[j] != 0)
                    {
                        acc += scores[j] * v[(b * s.VStrides[0]) + (h * s.VStrides[1]) + (j * s.VStrides[2]) + (d * s.VStrides[3])];
                    }
                }
                y[outBase + d] = (float)(acc / sum);
            }
        });
        Store(s.Y, y);
    }
}
