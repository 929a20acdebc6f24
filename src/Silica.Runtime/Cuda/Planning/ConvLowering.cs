using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>Conv (with BatchNorm folded and residual/activation fused), ConvTranspose and standalone BatchNorm.</summary>
internal static class ConvLowering
{
    public static void LowerConv(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var wVal = node.Input(1)!;
        var xShape = PlanBuilder.ShapeOf(x);
        var y = node.Output(0)!;
        var yShape = PlanBuilder.ShapeOf(y);
        if (xShape.Length is not (3 or 4))
        {
            throw PlanException.For(node, $"only 1-D and 2-D convolutions are supported (input rank {xShape.Length})");
        }
        if (!b.IsConstant(wVal))
        {
            throw PlanException.For(node, "the weight must be a constant");
        }
        var (pads, strides, dilations) = Geometry(node, xShape, yShape, PlanBuilder.ShapeOf(wVal)[2..]);
        var group = (int)node.Attributes.GetInt("group", 1);
        var w = b.ConstantOf(wVal)!;
        var bias = node.Input(2) is { } bv ? b.ConstantOf(bv) ?? throw PlanException.For(node, "the bias must be a constant") : null;
        var fused = new List<string>();

        // BatchNormalization after the conv folds into W and bias (float64 math, rounded once at the end).
        double[]? wd = null, bd = null;
        if (b.Options.FuseEpilogues && b.SoleConsumer(y) is { OpType: "BatchNormalization" } bn && bn.Input(0) == y
            && Enumerable.Range(1, 4).All(i => b.IsConstant(bn.Input(i))))
        {
            (wd, bd) = FoldBatchNorm(b, bn, w, bias);
            b.MarkDone(bn);
            y = bn.Output(0)!;
            fused.Add("BN");
            b.Note($"folded BN {bn.Name} into conv {node.Name}");
        }
        var wDims = xShape.Length == 3 ? [w.Dims[0], w.Dims[1], 1, w.Dims[2]] : w.Dims;
        int wId, biasId = -1;
        if (wd is null && xShape.Length == 4)
        {
            wId = b.Buf(wVal);
        }
        else
        {
            wId = b.WeightBuffer($"{wVal.Name}.planned", HostTensor.OfFloats(TensorDataType.Float, wDims, wd ?? w.ToDoubles()));
        }
        if (bd is not null)
        {
            biasId = b.WeightBuffer($"{node.Name}.bias", HostTensor.OfFloats(TensorDataType.Float, [bd.Length], bd));
        }
        else if (node.Input(2) is { } biasVal)
        {
            biasId = b.Buf(biasVal);
        }

        var residual = -1;
        var act = Activation.None;
        float clipMin = 0, clipMax = 0;
        if (b.Options.FuseEpilogues)
        {
            var shape = PlanBuilder.ShapeOf(y);
            if (EpilogueMatcher.SoleAdd(b, y, o => !b.IsConstant(o) && b.IsAvailable(o) && PlanBuilder.ShapeOf(o).SequenceEqual(shape)) is var (add, r))
            {
                b.MarkDone(add);
                residual = View4(b, b.Buf(r), r.Name, shape);
                y = add.Output(0)!;
                fused.Add("residual");
            }
            if (EpilogueMatcher.Activation(b, y) is { Activation: Activation.Relu or Activation.Clip } m)
            {
                foreach (var n in m.Nodes)
                {
                    b.MarkDone(n);
                }
                (act, clipMin, clipMax) = (m.Activation, m.ClipMin, m.ClipMax);
                y = m.Output;
                fused.Add(act.ToString());
            }
        }
        var xId = View4(b, b.Buf(x), x.Name, xShape);
        var yId = b.OutputBuffer(y);
        var y4 = View4(b, yId, y.Name, PlanBuilder.ShapeOf(y));
        b.Emit(new ConvStep(node.Name, xId, wId, y4, biasId, residual, pads, strides, dilations, group, act, clipMin, clipMax));
        if (fused.Count > 0)
        {
            b.Note($"fused {string.Join(" + ", fused)} into conv {node.Name}");
        }
    }

    /// <summary>A 1-D tensor [N,C,L] seen as [N,C,1,L]; 4-D buffers pass through.</summary>
    private static int View4(PlanBuilder b, int id, string name, long[] shape) =>
        shape.Length == 3 ? b.View(id, name + ".2d", [shape[0], shape[1], 1, shape[2]]) : id;

    private static (double[] W, double[] Bias) FoldBatchNorm(PlanBuilder b, Node bn, HostTensor w, HostTensor? bias)
    {
        var scale = b.ConstantOf(bn.Input(1))!.ToDoubles();
        var shift = b.ConstantOf(bn.Input(2))!.ToDoubles();
        var mean = b.ConstantOf(bn.Input(3))!.ToDoubles();
        var variance = b.ConstantOf(bn.Input(4))!.ToDoubles();
        var eps = (double)bn.Attributes.GetFloat("epsilon", 1e-5f);
        var wd = w.ToDoubles();
        var outChannels = (int)w.Dims[0];
        var per = wd.Length / outChannels;
        var bd = new double[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            var s = scale[o] / Math.Sqrt(variance[o] + eps);
            for (var i = 0; i < per; i++)
            {
                wd[(o * per) + i] *= s;
            }
            bd[o] = (((bias?.GetDouble(o) ?? 0) - mean[o]) * s) + shift[o];
        }
        return (wd, bd);
    }

    /// <summary>Pads [top, left, bottom, right], strides and dilations as 2-D (a 1-D conv gets H = 1).</summary>
    public static (int[] Pads, int[] Strides, int[] Dilations) Geometry(Node node, long[] xShape, long[] yShape, long[] kernel)
    {
        var a = node.Attributes;
        var spatial = xShape.Length - 2;
        var strides = a.GetInts("strides") ?? [.. Enumerable.Repeat(1L, spatial)];
        var dilations = a.GetInts("dilations") ?? [.. Enumerable.Repeat(1L, spatial)];
        var pads = a.GetInts("pads") ?? new long[2 * spatial];
        var autoPad = a.GetString("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            pads = new long[2 * spatial];
            for (var i = 0; i < spatial; i++)
            {
                var input = xShape[2 + i];
                var output = (input + strides[i] - 1) / strides[i];
                var total = Math.Max(0, ((output - 1) * strides[i]) + (((kernel[i] - 1) * dilations[i]) + 1) - input);
                var small = total / 2;
                (pads[i], pads[spatial + i]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
            }
        }
        else if (autoPad == "VALID")
        {
            pads = new long[2 * spatial];
        }
        if (spatial == 1)
        {
            return ([0, (int)pads[0], 0, (int)pads[1]], [1, (int)strides[0]], [1, (int)dilations[0]]);
        }
        if (spatial != 2)
        {
            throw PlanException.For(node, $"{spatial}-D spatial dims are not supported");
        }
        return ([.. pads.Select(p => (int)p)], [.. strides.Select(s => (int)s)], [.. dilations.Select(d => (int)d)]);
    }

    public static void LowerConvTranspose(PlanBuilder b, Node node)
    {
        var xShape = PlanBuilder.ShapeOf(node.Input(0)!);
        if (xShape.Length != 4)
        {
            throw PlanException.For(node, "only 2-D transposed convolutions are supported");
        }
        var a = node.Attributes;
        if (a.GetString("auto_pad", "NOTSET") is not ("NOTSET" or "VALID") || a.Has("output_shape"))
        {
            throw PlanException.For(node, "auto_pad SAME and output_shape are not supported");
        }
        var pads = a.GetInts("pads") ?? new long[4];
        var strides = a.GetInts("strides") ?? [1, 1];
        var dilations = a.GetInts("dilations") ?? [1, 1];
        var y = node.Output(0)!;
        var bias = node.Input(2) is { } bv ? b.Buf(bv) : -1;
        var xId = b.Buf(node.Input(0)!);
        var wId = b.Buf(node.Input(1)!);
        b.Emit(new ConvTransposeStep(node.Name, xId, wId, b.OutputBuffer(y), bias,
            [.. pads.Select(p => (int)p)], [.. strides.Select(s => (int)s)], [.. dilations.Select(d => (int)d)], (int)a.GetInt("group", 1)));
    }

    /// <summary>Inference BatchNorm on its own: y = x·scale + shift with per-channel [C,1,...] weights.</summary>
    public static void LowerBatchNorm(PlanBuilder b, Node node)
    {
        if (!Enumerable.Range(1, 4).All(i => b.IsConstant(node.Input(i))))
        {
            throw PlanException.For(node, "BatchNormalization parameters must be constants");
        }
        if (node.Outputs.Count(o => o is not null) > 1)
        {
            throw PlanException.For(node, "training-mode BatchNormalization is not supported");
        }
        var scale = b.ConstantOf(node.Input(1))!.ToDoubles();
        var shift = b.ConstantOf(node.Input(2))!.ToDoubles();
        var mean = b.ConstantOf(node.Input(3))!.ToDoubles();
        var variance = b.ConstantOf(node.Input(4))!.ToDoubles();
        var eps = (double)node.Attributes.GetFloat("epsilon", 1e-5f);
        var xShape = PlanBuilder.ShapeOf(node.Input(0)!);
        long[] dims = [scale.Length, .. Enumerable.Repeat(1L, xShape.Length - 2)];
        var s = scale.Select((g, c) => g / Math.Sqrt(variance[c] + eps)).ToArray();
        var t = shift.Select((beta, c) => beta - (mean[c] * s[c])).ToArray();
        var sId = b.WeightBuffer($"{node.Name}.scale", HostTensor.OfFloats(TensorDataType.Float, dims, s));
        var tId = b.WeightBuffer($"{node.Name}.shift", HostTensor.OfFloats(TensorDataType.Float, dims, t));
        var xId = b.Buf(node.Input(0)!);
        var expr = new BinaryExpr(BinaryOp.Add, new BinaryExpr(BinaryOp.Mul, new InputExpr(0), new InputExpr(1)), new InputExpr(2));
        b.Emit(new ElementwiseStep(node.Name, [xId, sId, tId], b.OutputBuffer(node.Output(0)!), expr));
        b.Note($"BN {node.Name} as a per-channel scale/shift kernel");
    }
}
