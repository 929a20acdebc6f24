using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Tests;

/// <summary>Tiny real models built with <see cref="GraphBuilder"/>.</summary>
internal static class TestModels
{
    /// <summary><c>y = Relu(x · W + b)</c> on <c>x: float[batch, inFeatures]</c>.</summary>
    public static OnnxModel Mlp(int inFeatures = 16, int outFeatures = 8, string batch = "batch", ulong seed = 7)
    {
        var g = new GraphBuilder("mlp", opset: 17, seed: seed);
        var x = g.Input("x", TensorDataType.Float, batch, inFeatures);
        var w = g.Weight("w", [inFeatures, outFeatures]);
        var b = g.Weight("b", [outFeatures], WeightFill.Small);
        var y = g.Node("Relu", [g.Node("Add", [g.Node("MatMul", [x, w]), b])]);
        g.Output(y, "y", new TensorType(TensorDataType.Float, new TensorShape(batch, outFeatures)));
        return g.Build();
    }

    /// <summary>A multi-layer perceptron with the given layer widths (Relu between layers), batch symbolic.</summary>
    public static OnnxModel DeepMlp(params int[] widths)
    {
        var g = new GraphBuilder("deep_mlp", opset: 17, seed: 11);
        var h = g.Input("x", TensorDataType.Float, "batch", widths[0]);
        for (var i = 1; i < widths.Length; i++)
        {
            var w = g.Weight($"w{i}", [widths[i - 1], widths[i]]);
            var b = g.Weight($"b{i}", [widths[i]], WeightFill.Small);
            h = g.Node("Add", [g.Node("MatMul", [h, w]), b]);
            if (i < widths.Length - 1)
            {
                h = g.Node("Relu", [h]);
            }
        }
        g.Output(h, "y", new TensorType(TensorDataType.Float, new TensorShape("batch", widths[^1])));
        return g.Build();
    }

    /// <summary><c>y = Reshape(x, [-1, 3])</c>: fails at run time when x's element count is not a multiple of 3.</summary>
    public static OnnxModel ReshapeBy3()
    {
        var g = new GraphBuilder("reshape3", opset: 17);
        var x = g.Input("x", TensorDataType.Float, "n");
        var shape = g.ConstantInt64("shape", -1, 3);
        var y = g.Node("Reshape", [x, shape]);
        g.Output(y, "y", new TensorType(TensorDataType.Float, new TensorShape(Dim.Unknown, 3)));
        return g.Build();
    }

    /// <summary><c>y = Concat(x, x, axis 1)</c> on <c>float[batch, n]</c>: the output width (2n) is no input dimension.</summary>
    public static OnnxModel UnknownOutputWidth()
    {
        var g = new GraphBuilder("unknown_width", opset: 17);
        var x = g.Input("x", TensorDataType.Float, "batch", "n");
        g.Output(g.Node("Concat", [x, x], Attr.Int("axis", 1)), "y", new TensorType(TensorDataType.Float, new TensorShape("batch", Dim.Unknown)));
        return g.Build();
    }

    /// <summary>Deterministic input values distinct per <paramref name="seed"/>.</summary>
    public static float[] Values(int count, int seed)
    {
        var v = new float[count];
        for (var i = 0; i < count; i++)
        {
            v[i] = MathF.Sin((seed * 131) + (i * 0.37f));
        }
        return v;
    }
}
