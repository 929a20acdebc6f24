using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>MatMul and Gemm → <see cref="GemmStep"/>, with bias, activation and residual epilogues fused.</summary>
internal static class GemmLowering
{
    public static void LowerMatMul(PlanBuilder b, Node node)
    {
        var aVal = node.Input(0)!;
        var bVal = node.Input(1)!;
        var aShape = PlanBuilder.ShapeOf(aVal);
        var bShape = PlanBuilder.ShapeOf(bVal);
        var y = node.Output(0)!;
        var yShape = PlanBuilder.ShapeOf(y);
        long[] a2 = aShape.Length == 1 ? [1, aShape[0]] : aShape;
        long[] b2 = bShape.Length == 1 ? [bShape[0], 1] : bShape;
        long m = a2[^2], k = a2[^1], n = b2[^1];
        var aBatch = a2[..^2];
        var bBatch = b2[..^2];
        var batchShape = HostEvaluator.BroadcastShape(node, [aBatch, bBatch]);
        var batch = batchShape.Aggregate(1L, (p, d) => p * d);

        // A weight B transposed by a Transpose node is read with TransB instead (tied LM heads).
        var transB = false;
        int bId;
        if (bShape.Length == 2 && bVal.Producer is { OpType: "Transpose" } t && b.IsConstant(t.Input(0)) && !b.HasBuffer(bVal))
        {
            bId = b.Buf(t.Input(0)!);
            transB = true;
            b.Note($"read transposed weight {t.Input(0)!.Name} with transB in {node.Name}");
        }
        else
        {
            bId = b.Buf(bVal);
        }
        var aId = b.Buf(aVal);
        long strideA, strideB;
        if (bBatch.Aggregate(1L, (p, d) => p * d) == 1)
        {
            // B is shared by the whole batch: fold the batch into M (A is contiguous row-major).
            m *= aBatch.Aggregate(1L, (p, d) => p * d);
            batch = 1;
            strideA = 0;
            strideB = 0;
        }
        else
        {
            (aId, strideA) = BatchOperand(b, node, aId, aBatch, batchShape, a2[^2..]);
            (bId, strideB) = BatchOperand(b, node, bId, bBatch, batchShape, b2[^2..]);
        }
        if (b.IsConstant(bVal) || transB)
        {
            b.GemmBWeights.Add(bId);
        }
        var step = new GemmStep(node.Name, aId, bId, -1, -1, -1, m, n, k, batch, strideA, strideB, batch == 1 ? 0 : m * n,
            false, transB, 1f, 0f, Activation.None);
        FinishWithEpilogue(b, step, y, yShape[^1]);
    }

    /// <summary>The operand's batch stride; an operand broadcast over only some batch axes is expanded first.</summary>
    private static (int Id, long Stride) BatchOperand(PlanBuilder b, Node node, int id, long[] batch, long[] full, long[] matrix)
    {
        var count = batch.Aggregate(1L, (p, d) => p * d);
        var fullCount = full.Aggregate(1L, (p, d) => p * d);
        if (count == 1)
        {
            return (id, 0);
        }
        var matrixSize = matrix[0] * matrix[1];
        if (count == fullCount)
        {
            return (id, matrixSize);
        }
        var expanded = b.NewBuffer($"{node.Name}.expanded", b.Buffers[id].Type, [.. full, .. matrix], BufferKind.Arena);
        b.Emit(new ExpandStep($"{node.Name}.expand", id, expanded));
        b.Note($"expanded a MatMul operand of {node.Name} to the full batch");
        return (expanded, matrixSize);
    }

    public static void LowerGemm(PlanBuilder b, Node node)
    {
        var a = node.Attributes;
        var transA = a.GetInt("transA", 0) != 0;
        var transB = a.GetInt("transB", 0) != 0;
        var alpha = a.GetFloat("alpha", 1f);
        var beta = a.GetFloat("beta", 1f);
        var aShape = PlanBuilder.ShapeOf(node.Input(0)!);
        var bShape = PlanBuilder.ShapeOf(node.Input(1)!);
        var y = node.Output(0)!;
        long m = transA ? aShape[1] : aShape[0], k = transA ? aShape[0] : aShape[1], n = transB ? bShape[0] : bShape[1];
        var aId = b.Buf(node.Input(0)!);
        var bId = b.Buf(node.Input(1)!);
        if (b.IsConstant(node.Input(1)))
        {
            b.GemmBWeights.Add(bId);
        }
        int bias = -1, residual = -1;
        var stepBeta = 0f;
        if (node.Input(2) is { } c && beta != 0)
        {
            var cShape = PlanBuilder.ShapeOf(c);
            var cCount = cShape.Aggregate(1L, (p, d) => p * d);
            if (cCount == n && cShape[^1] == n && b.IsConstant(c))
            {
                bias = beta == 1f ? b.Buf(c) : ScaledWeight(b, c, beta, [n]);
            }
            else if (cShape.Length == 2 && cShape[0] == m && cShape[1] == n)
            {
                residual = b.Buf(c);
                stepBeta = beta;
            }
            else
            {
                var expanded = b.NewBuffer($"{node.Name}.C", b.Buffers[b.Buf(c)].Type, [m, n], BufferKind.Arena);
                b.Emit(new ExpandStep($"{node.Name}.expandC", b.Buf(c), expanded));
                residual = expanded;
                stepBeta = beta;
            }
        }
        var step = new GemmStep(node.Name, aId, bId, -1, bias, residual, m, n, k, 1, 0, 0, 0, transA, transB, alpha, stepBeta, Activation.None);
        FinishWithEpilogue(b, step, y, n);
    }

    private static int ScaledWeight(PlanBuilder b, Value c, double scale, long[] dims)
    {
        var t = b.ConstantOf(c)!;
        return b.WeightBuffer($"{c.Name}.scaled", HostTensor.OfFloats(t.Type, dims, [.. t.ToDoubles().Select(v => v * scale)]));
    }

    /// <summary>Absorbs bias Add, activation and residual Add after the GEMM output, then emits the step.</summary>
    private static void FinishWithEpilogue(PlanBuilder b, GemmStep step, Value y, long n)
    {
        var fused = new List<string>();
        if (b.Options.FuseEpilogues)
        {
            if (step.Bias < 0 && step.Residual < 0 && EpilogueMatcher.SoleAdd(b, y, o => IsBiasVector(b, o, n) && PlanBuilder.ShapeOf(o).Length <= PlanBuilder.ShapeOf(y).Length) is var (add, bias))
            {
                b.MarkDone(add);
                y = add.Output(0)!;
                step = step with { Bias = b.Buf(bias) };
                fused.Add("bias");
            }
            if (step.Residual < 0 && EpilogueMatcher.Activation(b, y) is { } act)
            {
                foreach (var x in act.Nodes)
                {
                    b.MarkDone(x);
                }
                y = act.Output;
                step = step with { Activation = act.Activation, ClipMin = act.ClipMin, ClipMax = act.ClipMax };
                fused.Add(act.Activation.ToString());
            }
            var shape = PlanBuilder.ShapeOf(y);
            if (step.Residual < 0 && step.Activation == Activation.None
                && EpilogueMatcher.SoleAdd(b, y, o => !b.IsConstant(o) && b.IsAvailable(o) && PlanBuilder.ShapeOf(o).SequenceEqual(shape)
                    && PlanBuilder.TypeOf(o) == PlanBuilder.TypeOf(y)) is var (resAdd, res))
            {
                b.MarkDone(resAdd);
                y = resAdd.Output(0)!;
                step = step with { Residual = b.Buf(res), Beta = 1f };
                fused.Add("residual");
            }
        }
        var id = b.OutputBuffer(y);
        b.Emit(step with { Y = id });
        if (fused.Count > 0)
        {
            b.Note($"fused {string.Join(" + ", fused)} into GEMM {step.Name}");
        }
    }

    private static bool IsBiasVector(PlanBuilder b, Value v, long n)
    {
        if (!b.IsConstant(v) || PlanBuilder.TypeOf(v) != TensorDataType.Float)
        {
            return false;
        }
        var s = PlanBuilder.ShapeOf(v);
        return s.Length >= 1 && s[^1] == n && s.Aggregate(1L, (p, d) => p * d) == n;
    }
}
