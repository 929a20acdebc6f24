using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Operators whose output has the input's type and shape: activations, Softmax, Clip, Dropout, Trilu, CumSum...</summary>
internal static class ActivationShapes
{
    private static readonly string[] SameAsInput =
    [
        "Relu", "LeakyRelu", "Elu", "Selu", "Celu", "ThresholdedRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish",
        "Gelu", "Softmax", "LogSoftmax", "Hardmax", "Softplus", "Softsign", "Mish", "Shrink", "Swish", "Clip", "LRN",
        "Trilu", "CumSum", "ReverseSequence", "MeanVarianceNormalization", "LpNormalization", "ScatterND",
        "ScatterElements", "Scatter", "Det", "RandomNormalLike", "RandomUniformLike", "Bernoulli", "EyeLike",
    ];

    public static void Register(OpRegistry r)
    {
        r.Add(SameAsInput, SameShape);
        r.Add("Dropout", Dropout);
        r.Add("PRelu", c => c.SetOutput(0, c.InputElementType(0), ElementwiseShapes.BroadcastInputs(c)));
    }

    private static void SameShape(NodeContext c)
    {
        var type = c.InputType(0);
        var shape = type.Shape;
        if (c.Node.OpType == "Det")
        {
            // Det reduces the two trailing (matrix) dimensions.
            shape = shape is null ? null : shape.Rank < 2 ? throw c.Fail("Det needs a rank-2 or higher input") : new TensorShape(shape.Take(shape.Rank - 2));
        }
        // The *Like generators and Bernoulli may change the element type through their dtype attribute.
        var dtype = c.Node.OpType is "RandomNormalLike" or "RandomUniformLike" or "Bernoulli" or "EyeLike"
            ? (TensorDataType)c.Attributes.GetInt("dtype", (long)type.ElementType)
            : type.ElementType;
        c.SetOutput(0, dtype, shape);
        if (c.Node.OpType == "Clip" && c.Opset < 11 && c.Known(0) is { Floats: not null } k)
        {
            // Older PaddleOCR exports clip small constants (opset 9 Clip with min/max attributes).
            var min = c.Attributes.GetFloat("min", float.MinValue);
            var max = c.Attributes.GetFloat("max", float.MaxValue);
            c.SetKnown(0, KnownTensor.OfFloats(k.Type, k.Dims, [.. k.Floats.Select(f => Math.Clamp(f, min, max))]));
        }
    }

    private static void Dropout(NodeContext c)
    {
        var type = c.InputType(0);
        c.SetOutput(0, type);
        c.SetOutput(1, TensorDataType.Bool, type.Shape);
        if (c.Known(0) is { } k)
        {
            c.SetKnown(0, k);
        }
    }
}
