using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Engine.Fp8;

/// <summary>
/// Which GEMMs of a plan run in FP8. Per-tensor E4M3 (3 mantissa bits) costs a few percent of error per GEMM output,
/// and two kinds of GEMM pass that error on undamped, so they stay in half precision: the attention query and key
/// projections (the error lands in the logits, which softmax exponentiates) and GEMMs that write into the residual
/// stream (the error is added to every later layer's input). Measured on the H200 against FP32, bert-large batch 2:
/// FP8 in Q, K, V and FFN-up gave cosine 0.985; in V, attention-output, FFN-up and FFN-down 0.967.
/// </summary>
internal static class Fp8Selection
{
    public static HashSet<GemmStep> Select(ExecutionPlan plan)
    {
        var producers = new Dictionary<int, Step>();
        foreach (var s in plan.Steps)
        {
            producers[StepBuffers.Writes(s)] = s;
        }
        var sensitive = new HashSet<Step>(ReferenceEqualityComparer.Instance);
        foreach (var s in plan.Steps)
        {
            switch (s)
            {
                case AttentionStep a:
                    Mark(a.Q);
                    Mark(a.K);
                    break;
                case SoftmaxStep softmax when ScoresGemm(softmax.X) is { } scores:
                    Mark(scores.A);
                    Mark(scores.B);
                    break;
                default:
                    break;
            }
        }
        return [.. plan.Steps.OfType<GemmStep>().Where(g => !sensitive.Contains(g) && g.Residual < 0 && Fp8Weights.Eligible(g, plan))];

        // The Q·Kᵀ GEMM behind a softmax, looking through the elementwise scale and mask.
        GemmStep? ScoresGemm(int buffer)
        {
            for (var hops = 0; hops < 4 && Producer(buffer) is { } p; hops++)
            {
                switch (p)
                {
                    case GemmStep g:
                        return g;
                    case ElementwiseStep e when e.Inputs.Length > 0:
                        buffer = e.Inputs[0];
                        break;
                    default:
                        return null;
                }
            }
            return null;
        }

        // Walk back through transposes and copies to the projection GEMM that made this operand.
        void Mark(int buffer)
        {
            for (var hops = 0; hops < 4 && Producer(buffer) is { } p; hops++)
            {
                switch (p)
                {
                    case GemmStep g:
                        sensitive.Add(g);
                        return;
                    case TransposeStep t:
                        buffer = t.X;
                        break;
                    case CopyStep c:
                        buffer = c.X;
                        break;
                    default:
                        return;
                }
            }
        }

        Step? Producer(int buffer)
        {
            var b = plan[buffer];
            var id = b.Kind == BufferKind.View ? b.ViewOf : buffer;
            return producers.GetValueOrDefault(id);
        }
    }
}
