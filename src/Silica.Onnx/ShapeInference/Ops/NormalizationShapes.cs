using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Normalizations: the main output keeps the input's shape; statistics outputs get their own shapes.</summary>
internal static class NormalizationShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("BatchNormalization", BatchNormalization);
        r.Add(["LayerNormalization", "RMSNormalization"], LayerNormalization);
        r.Add(["InstanceNormalization", "GroupNormalization"], c => c.SetOutput(0, c.InputType(0)));
    }

    private static void BatchNormalization(NodeContext c)
    {
        c.SetOutput(0, c.InputType(0));
        // Training-mode outputs (running or saved mean and variance) are per channel, like the scale input.
        for (var i = 1; i < c.OutputCount; i++)
        {
            c.SetOutput(i, c.InputElementType(c.InputCount > 3 ? 3 : 0), c.InputShape(1));
        }
    }

    private static void LayerNormalization(NodeContext c)
    {
        var x = c.InputType(0);
        c.SetOutput(0, x);
        if (c.OutputCount == 1 || x.Shape is not { } shape)
        {
            return;
        }
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", -1), shape.Rank);
        // Mean and inverse standard deviation keep the leading axes and reduce the normalized ones to 1.
        var statShape = new TensorShape(shape.Take(axis).Concat(Enumerable.Repeat(Dim.Of(1), shape.Rank - axis)));
        var stashType = (TensorDataType)c.Attributes.GetInt("stash_type", (long)TensorDataType.Float);
        for (var i = 1; i < c.OutputCount; i++)
        {
            c.SetOutput(i, stashType, statShape);
        }
    }
}
