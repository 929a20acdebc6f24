using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>MaxPool / AveragePool / GlobalAveragePool / GlobalMaxPool → <see cref="PoolStep"/> (2-D NCHW).</summary>
internal static class PoolLowering
{
    public static void Lower(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var xShape = PlanBuilder.ShapeOf(x);
        if (xShape.Length != 4)
        {
            throw PlanException.For(node, "only 2-D pooling is supported");
        }
        var y = node.Output(0)!;
        if (node.Outputs.Count(o => o is not null) > 1)
        {
            throw PlanException.For(node, "MaxPool indices output is not supported");
        }
        var xId = b.Buf(x);
        var yId = b.OutputBuffer(y);
        switch (node.OpType)
        {
            case "GlobalAveragePool":
                b.Emit(new PoolStep(node.Name, PoolKind.GlobalAverage, xId, yId, [(int)xShape[2], (int)xShape[3]], [0, 0, 0, 0], [1, 1], false));
                return;
            case "GlobalMaxPool":
                b.Emit(new PoolStep(node.Name, PoolKind.Max, xId, yId, [(int)xShape[2], (int)xShape[3]], [0, 0, 0, 0], [1, 1], false));
                return;
        }
        var kernel = node.Attributes.GetInts("kernel_shape") ?? throw PlanException.For(node, "kernel_shape missing");
        var (pads, strides, dilations) = ConvLowering.Geometry(node, xShape, PlanBuilder.ShapeOf(y), kernel);
        if (dilations.Any(d => d != 1))
        {
            throw PlanException.For(node, "dilated pooling is not supported");
        }
        var kind = node.OpType == "MaxPool" ? PoolKind.Max : PoolKind.Average;
        var countIncludePad = node.Attributes.GetInt("count_include_pad", 0) != 0;
        b.Emit(new PoolStep(node.Name, kind, xId, yId, [.. kernel.Select(k => (int)k)], pads, strides, countIncludePad));
    }
}
