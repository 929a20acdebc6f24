using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>Data movement and normalisation ops that map one-to-one onto steps.</summary>
internal static class TensorLowering
{
    public static void Softmax(PlanBuilder b, Node node)
    {
        var shape = PlanBuilder.ShapeOf(node.Input(0)!);
        var rank = shape.Length;
        var axis = (int)node.Attributes.GetInt("axis", b.Opset < 13 ? 1 : -1);
        axis = axis < 0 ? axis + rank : axis;
        var outer = shape[..axis].Aggregate(1L, (p, d) => p * d);
        long size, inner;
        if (b.Opset < 13)
        {
            // Before opset 13 Softmax flattens the input to 2-D at axis.
            size = shape[axis..].Aggregate(1L, (p, d) => p * d);
            inner = 1;
        }
        else
        {
            size = shape[axis];
            inner = shape[(axis + 1)..].Aggregate(1L, (p, d) => p * d);
        }
        var x = b.Buf(node.Input(0)!);
        b.Emit(new SoftmaxStep(node.Name, x, b.OutputBuffer(node.Output(0)!), outer, size, inner));
    }

    public static void Transpose(PlanBuilder b, Node node)
    {
        var rank = PlanBuilder.ShapeOf(node.Input(0)!).Length;
        var perm = node.Attributes.GetInts("perm")?.Select(p => (int)p).ToArray() ?? [.. Enumerable.Range(0, rank).Reverse()];
        var x = b.Buf(node.Input(0)!);
        var y = node.Output(0)!;
        if (perm.Select((p, i) => p == i).All(same => same))
        {
            b.Bind(y, b.View(x, y.Name, PlanBuilder.ShapeOf(y)));
            return;
        }
        b.Emit(new TransposeStep(node.Name, x, b.OutputBuffer(y), perm));
    }

    public static void Gather(PlanBuilder b, Node node)
    {
        var rank = PlanBuilder.ShapeOf(node.Input(0)!).Length;
        var axis = (int)node.Attributes.GetInt("axis", 0);
        var data = b.Buf(node.Input(0)!);
        var indices = b.Buf(node.Input(1)!);
        b.Emit(new GatherStep(node.Name, data, indices, b.OutputBuffer(node.Output(0)!), axis < 0 ? axis + rank : axis));
    }

    public static void Concat(PlanBuilder b, Node node)
    {
        var rank = PlanBuilder.ShapeOf(node.Output(0)!).Length;
        var axis = (int)node.Attributes.GetInt("axis", 0);
        // Empty inputs contribute nothing; the kernel never sees them.
        int[] inputs = [.. node.Inputs.Where(v => v is not null && PlanBuilder.ShapeOf(v).All(d => d > 0)).Select(v => b.Buf(v!))];
        b.Emit(new ConcatStep(node.Name, inputs, b.OutputBuffer(node.Output(0)!), axis < 0 ? axis + rank : axis));
    }

    public static void Slice(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var (starts, steps) = SliceParams.Resolve(node, PlanBuilder.ShapeOf(x), b.ConstantOf, b.Opset);
        var xId = b.Buf(x);
        b.Emit(new SliceStep(node.Name, xId, b.OutputBuffer(node.Output(0)!), starts, steps));
    }

    public static void Split(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var shape = PlanBuilder.ShapeOf(x);
        var axis = (int)node.Attributes.GetInt("axis", 0);
        axis = axis < 0 ? axis + shape.Length : axis;
        var sizes = SliceParams.SplitSizes(node, shape[axis], b.ConstantOf, b.Opset);
        var xId = b.Buf(x);
        long offset = 0;
        for (var i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Output(i) is { } y)
            {
                var starts = new long[shape.Length];
                starts[axis] = offset;
                b.Emit(new SliceStep($"{node.Name}.{i}", xId, b.OutputBuffer(y), starts, [.. Enumerable.Repeat(1L, shape.Length)]));
            }
            offset += sizes[i];
        }
    }

    public static void Expand(PlanBuilder b, Node node)
    {
        var x = b.Buf(node.Input(0)!);
        b.Emit(new ExpandStep(node.Name, x, b.OutputBuffer(node.Output(0)!)));
    }

    public static void Resize(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var y = node.Output(0)!;
        var xs = PlanBuilder.ShapeOf(x);
        var ys = PlanBuilder.ShapeOf(y);
        if (xs.Length != 4 || xs[0] != ys[0] || xs[1] != ys[1])
        {
            throw PlanException.For(node, "only 4-D resizes of the spatial axes are supported");
        }
        var a = node.Attributes;
        var mode = a.GetString("mode", "nearest") switch
        {
            "nearest" => ResizeMode.Nearest,
            "linear" or "bilinear" => ResizeMode.Linear,
            var m => throw PlanException.For(node, $"mode '{m}' is not supported"),
        };
        var coordinate = node.OpType == "Upsample" ? "asymmetric" : a.GetString("coordinate_transformation_mode", "half_pixel");
        if (coordinate is not ("half_pixel" or "asymmetric" or "align_corners" or "pytorch_half_pixel"))
        {
            throw PlanException.For(node, $"coordinate_transformation_mode '{coordinate}' is not supported");
        }
        if (coordinate == "pytorch_half_pixel")
        {
            // Identical to half_pixel unless an output axis has length 1.
            coordinate = ys[2] > 1 && ys[3] > 1 ? "half_pixel" : throw PlanException.For(node, "pytorch_half_pixel with a length-1 axis");
        }
        var nearest = a.GetString("nearest_mode", "round_prefer_floor");
        var (scaleH, scaleW) = Scales(b, node, xs, ys);
        var xId = b.Buf(x);
        b.Emit(new ResizeStep(node.Name, xId, b.OutputBuffer(y), mode, coordinate, nearest, scaleH, scaleW));
    }

    /// <summary>The scale per spatial axis: the scales input/attribute when given, else output ÷ input size.</summary>
    private static (float H, float W) Scales(PlanBuilder b, Node node, long[] xs, long[] ys)
    {
        double[]? scales = node.Attributes.GetFloats("scales")?.Select(f => (double)f).ToArray();
        var scalesInput = node.OpType == "Upsample" ? node.Input(1) : node.Opset11ScalesInput();
        if (scales is null && scalesInput is not null && b.IsConstant(scalesInput) && b.ConstantCount(scalesInput) == 4)
        {
            scales = b.ConstantOf(scalesInput)!.ToDoubles();
        }
        return scales is { Length: 4 }
            ? ((float)scales[2], (float)scales[3])
            : ((float)ys[2] / xs[2], (float)ys[3] / xs[3]);
    }

    private static Value? Opset11ScalesInput(this Node node) => node.Inputs.Count >= 3 ? node.Input(2) : node.Input(1);
}
