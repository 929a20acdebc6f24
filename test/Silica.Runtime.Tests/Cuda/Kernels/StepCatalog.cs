using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Kernels;

/// <summary>One plan per emitter path and a spread of dtypes and shapes; the syntax and signature tests walk them all.</summary>
internal static class StepCatalog
{
    public static IEnumerable<(string Name, ExecutionPlan Plan)> All()
    {
        var gelu = new BinaryExpr(BinaryOp.Mul, new InputExpr(0), new BinaryExpr(BinaryOp.Mul, new ConstExpr(0.5),
            new BinaryExpr(BinaryOp.Add, new ConstExpr(1), new UnaryExpr(UnaryOp.Erf, new BinaryExpr(BinaryOp.Div, new InputExpr(0), new ConstExpr(Math.Sqrt(2)))))));
        foreach (var type in new[] { TensorDataType.Float, TensorDataType.Float16, TensorDataType.BFloat16 })
        {
            yield return ($"ew-gelu-{type}", Plan((p, x) => new ElementwiseStep("gelu", [x], p.Add(type, 2, 64), gelu), type, 2, 64));
            yield return ($"ew-gelu-odd-{type}", Plan((p, x) => new ElementwiseStep("gelu", [x], p.Add(type, 3, 5), gelu), type, 3, 5));
        }
        yield return ("ew-broadcast-bias", Build(p =>
        {
            var x = p.Add(TensorDataType.Float16, 2, 8, 5, 5);
            var b = p.Add(TensorDataType.Float, 1, 8, 1, 1);
            var s = p.Add(TensorDataType.Float, 1);
            var expr = new ClipExpr(new BinaryExpr(BinaryOp.Add, new InputExpr(0), new BinaryExpr(BinaryOp.Mul, new InputExpr(1), new InputExpr(2))), 0, 6);
            return new ElementwiseStep("bias", [x, b, s], p.Add(TensorDataType.Float16, 2, 8, 5, 5), expr);
        }));
        yield return ("ew-every-op", Build(p =>
        {
            var a = p.Add(TensorDataType.Float, 4, 1, 3);
            var b = p.Add(TensorDataType.Float, 2, 1);
            Expr e = new InputExpr(0);
            foreach (var op in Enum.GetValues<UnaryOp>())
            {
                e = new UnaryExpr(op, e);
            }
            foreach (var op in Enum.GetValues<BinaryOp>())
            {
                e = new BinaryExpr(op, e, new InputExpr(1));
            }
            e = new WhereExpr(new BinaryExpr(BinaryOp.Less, e, new ConstExpr(double.PositiveInfinity)), new HardSigmoidExpr(e, 0.2, 0.5),
                new ClipExpr(e, double.NegativeInfinity, 3));
            return new ElementwiseStep("ops", [a, b], p.Add(TensorDataType.Bool, 4, 2, 3), e);
        }));
        yield return ("ew-int64-every-op", Build(p =>
        {
            var a = p.Add(TensorDataType.Int64, 4, 1, 3);
            var b = p.Add(TensorDataType.Int32, 2, 1);
            var c = p.Add(TensorDataType.Bool, 1);
            Expr e = new InputExpr(0);
            foreach (var op in Enum.GetValues<UnaryOp>())
            {
                e = new UnaryExpr(op, e);
            }
            foreach (var op in Enum.GetValues<BinaryOp>())
            {
                e = new BinaryExpr(op, e, new InputExpr(1));
            }
            e = new WhereExpr(new InputExpr(2), new HardSigmoidExpr(e, 0.2, 0.5), new ClipExpr(e, -1, double.PositiveInfinity));
            return new ElementwiseStep("ints", [a, b, c], p.Add(TensorDataType.Int64, 4, 2, 3), e);
        }));
        yield return ("ew-uint8-int8", Plan((p, x) => new ElementwiseStep("u8", [x], p.Add(TensorDataType.Int8, 7), new UnaryExpr(UnaryOp.Neg, new InputExpr(0))), TensorDataType.UInt8, 7));

        foreach (var (type, cols) in new[] { (TensorDataType.Float, 768L), (TensorDataType.Float16, 768L), (TensorDataType.BFloat16, 100L), (TensorDataType.Float16, 4096L), (TensorDataType.Float, 1L) })
        {
            yield return ($"layernorm-{type}-{cols}", Build(p =>
            {
                var x = p.Add(type, 6, cols);
                return new LayerNormStep("ln", x, p.Add(TensorDataType.Float, cols), p.Add(type, cols), p.Add(type, 6, cols), 6, cols, 1e-5f);
            }));
        }
        yield return ("layernorm-no-bias", Build(p => new LayerNormStep("ln", p.Add(TensorDataType.Float, 3, 10), p.Add(TensorDataType.Float, 10), -1, p.Add(TensorDataType.Float, 3, 10), 3, 10, 1e-6f)));

        foreach (var (type, outer, axis, inner) in new[] { (TensorDataType.Float, 24L, 128L, 1L), (TensorDataType.Float16, 2L, 5000L, 1L), (TensorDataType.BFloat16, 2L, 7L, 9L), (TensorDataType.Float, 1L, 1L, 1L) })
        {
            yield return ($"softmax-{type}-{axis}-{inner}", Build(p =>
                new SoftmaxStep("sm", p.Add(type, outer, axis, inner), p.Add(type, outer, axis, inner), outer, axis, inner)));
        }

        foreach (var (type, d, mask, causal, bshd) in new[] { (TensorDataType.Float16, 64L, true, false, true), (TensorDataType.BFloat16, 128L, false, true, false), (TensorDataType.Float, 40L, true, true, true), (TensorDataType.Float16, 32L, false, false, false) })
        {
            yield return ($"attention-{type}-{d}-{mask}-{causal}", Build(p =>
            {
                long b = 2, h = 3, sq = 70, sk = 33;
                var q = p.Add(type, b, sq, 3 * h * d); // fused QKV, [B,S,3·H·D]
                var m = mask ? p.Add(TensorDataType.Float, b, 1, 1, sk) : -1;
                long[] qs = [sq * 3 * h * d, d, 3 * h * d, 1];
                return new AttentionStep("attn", q, q, q, m, p.Add(type, b, sq, h, d), b, h, sq, sk, d, 0.125f, causal,
                    qs, qs, qs, mask ? [sk, 0, 0, 1] : [], bshd);
            }));
        }

        yield return ("transpose-nchw-nhwc", Build(p => new TransposeStep("t", p.Add(TensorDataType.Float16, 2, 3, 4, 5), p.Add(TensorDataType.Float16, 2, 4, 5, 3), [0, 2, 3, 1])));
        yield return ("transpose-bshd", Build(p => new TransposeStep("t", p.Add(TensorDataType.Float, 2, 7, 3, 8), p.Add(TensorDataType.Float, 2, 3, 7, 8), [0, 2, 1, 3])));
        yield return ("transpose-int64-2d", Build(p => new TransposeStep("t", p.Add(TensorDataType.Int64, 9, 4), p.Add(TensorDataType.Int64, 4, 9), [1, 0])));
        yield return ("transpose-reverse", Build(p => new TransposeStep("t", p.Add(TensorDataType.UInt8, 2, 3, 4), p.Add(TensorDataType.UInt8, 4, 3, 2), [2, 1, 0])));

        yield return ("gather-int64", Build(p => new GatherStep("g", p.Add(TensorDataType.Float16, 100, 16), p.Add(TensorDataType.Int64, 2, 7), p.Add(TensorDataType.Float16, 2, 7, 16), 0)));
        yield return ("gather-int32-axis1", Build(p => new GatherStep("g", p.Add(TensorDataType.Int64, 3, 5, 2), p.Add(TensorDataType.Int32, 4), p.Add(TensorDataType.Int64, 3, 4, 2), 1)));
        yield return ("concat", Build(p => new ConcatStep("c", [p.Add(TensorDataType.Float, 2, 3, 4), p.Add(TensorDataType.Float, 2, 5, 4)], p.Add(TensorDataType.Float, 2, 8, 4), 1)));
        yield return ("slice-negative-step", Build(p => new SliceStep("s", p.Add(TensorDataType.BFloat16, 4, 10), p.Add(TensorDataType.BFloat16, 2, 4), [1, 9], [2, -2])));
        yield return ("expand", Build(p => new ExpandStep("e", p.Add(TensorDataType.Bool, 1, 4), p.Add(TensorDataType.Bool, 3, 4))));

        foreach (var kind in Enum.GetValues<ReduceKind>())
        {
            yield return ($"reduce-{kind}-rows", Build(p => new ReduceStep("r", kind, p.Add(TensorDataType.Float16, 6, 50), p.Add(TensorDataType.Float16, 6), 6, 50, 1)));
        }
        yield return ("reduce-long-rows", Build(p => new ReduceStep("r", ReduceKind.Mean, p.Add(TensorDataType.Float, 2, 10000), p.Add(TensorDataType.Float, 2), 2, 10000, 1)));
        yield return ("reduce-columns", Build(p => new ReduceStep("r", ReduceKind.Max, p.Add(TensorDataType.Float, 2, 5, 3), p.Add(TensorDataType.Float, 2, 3), 2, 5, 3)));

        foreach (var (from, to) in new[] { (TensorDataType.Float, TensorDataType.Float16), (TensorDataType.Float16, TensorDataType.Float), (TensorDataType.Float, TensorDataType.Bool), (TensorDataType.Int64, TensorDataType.Float), (TensorDataType.Int64, TensorDataType.Int32), (TensorDataType.BFloat16, TensorDataType.Int8), (TensorDataType.Bool, TensorDataType.Float), (TensorDataType.Float, TensorDataType.UInt8) })
        {
            yield return ($"cast-{from}-{to}", Build(p => new CastStep("c", p.Add(from, 10), p.Add(to, 10))));
        }

        foreach (var (mode, coord, round) in new[] { (ResizeMode.Nearest, "asymmetric", "floor"), (ResizeMode.Nearest, "half_pixel", "round_prefer_floor"),
            (ResizeMode.Nearest, "tf_half_pixel_for_nn", "round_prefer_ceil"), (ResizeMode.Linear, "half_pixel", ""), (ResizeMode.Linear, "align_corners", ""),
            (ResizeMode.Linear, "pytorch_half_pixel", ""), (ResizeMode.Nearest, "half_pixel_symmetric", "ceil") })
        {
            yield return ($"resize-{mode}-{coord}-{round}", Build(p =>
                new ResizeStep("r", p.Add(TensorDataType.Float16, 1, 3, 5, 7), p.Add(TensorDataType.Float16, 1, 3, 10, 14), mode, coord, round, 2, 2)));
        }

        yield return ("maxpool", Build(p => new PoolStep("p", PoolKind.Max, p.Add(TensorDataType.Float16, 1, 4, 9, 9), p.Add(TensorDataType.Float16, 1, 4, 5, 5), [3, 3], [1, 1, 1, 1], [2, 2], false)));
        yield return ("avgpool-include-pad", Build(p => new PoolStep("p", PoolKind.Average, p.Add(TensorDataType.Float, 1, 4, 9, 9), p.Add(TensorDataType.Float, 1, 4, 5, 5), [3, 3], [1, 1, 1, 1], [2, 2], true)));
        yield return ("avgpool-exclude-pad", Build(p => new PoolStep("p", PoolKind.Average, p.Add(TensorDataType.Float, 1, 4, 9, 9), p.Add(TensorDataType.Float, 1, 4, 9, 9), [3, 3], [1, 1, 1, 1], [1, 1], false)));
        yield return ("global-avgpool", Build(p => new PoolStep("p", PoolKind.GlobalAverage, p.Add(TensorDataType.BFloat16, 2, 4, 7, 7), p.Add(TensorDataType.BFloat16, 2, 4, 1, 1), [], [], [], false)));
    }

    private static ExecutionPlan Plan(Func<TestPlan, int, Step> step, TensorDataType type, params long[] shape) =>
        Build(p => step(p, p.Add(type, shape)));

    private static ExecutionPlan Build(Func<TestPlan, Step> step)
    {
        var plan = new TestPlan();
        return plan.With(step(plan)).Build();
    }
}
