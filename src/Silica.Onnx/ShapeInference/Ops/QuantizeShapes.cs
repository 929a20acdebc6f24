using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear keep the shape and change the element type.</summary>
internal static class QuantizeShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("QuantizeLinear", Quantize);
        r.Add("DequantizeLinear", c =>
        {
            // Before opset 19 the result is always float; from 19 on it takes the scale's type.
            var type = c.Opset >= 19 ? c.InputElementType(1) : TensorDataType.Float;
            c.SetOutput(0, type, c.InputType(0).Shape);
        });
        r.Add("DynamicQuantizeLinear", c =>
        {
            c.SetOutput(0, TensorDataType.UInt8, c.InputType(0).Shape);
            c.SetOutput(1, TensorDataType.Float, TensorShape.Scalar);
            c.SetOutput(2, TensorDataType.UInt8, TensorShape.Scalar);
        });
    }

    /// <summary>The zero point's type when given, else output_dtype (opset 21), else uint8.</summary>
    private static void Quantize(NodeContext c)
    {
        var type = c.HasInput(2) ? c.InputElementType(2)
            : c.Attributes.GetInt("output_dtype", 0) is var d and > 0 ? (TensorDataType)d : TensorDataType.UInt8;
        c.SetOutput(0, type, c.InputType(0).Shape);
    }
}
