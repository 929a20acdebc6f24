using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Training losses: a scalar when reduced ('mean'/'sum'), the target's shape with reduction 'none'.</summary>
internal static class LossShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("NegativeLogLikelihoodLoss", c => Loss(c));
        r.Add("SoftmaxCrossEntropyLoss", c =>
        {
            Loss(c);
            // The optional second output holds the log-probabilities, shaped like the scores.
            c.SetOutput(1, c.InputElementType(0), c.InputType(0).Shape);
        });
    }

    private static void Loss(NodeContext c)
    {
        var reduction = c.Attributes.GetString("reduction", "mean");
        var type = c.InputElementType(0);
        switch (reduction)
        {
            case "none":
                c.SetOutput(0, type, c.InputType(1).Shape);
                break;
            case "mean" or "sum":
                c.SetOutput(0, type, TensorShape.Scalar);
                break;
            default:
                throw c.Fail($"unknown reduction '{reduction}'");
        }
    }
}
