using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Window generators (Hann, Hamming, Blackman): a vector whose length is the size input's value.</summary>
internal static class SignalShapes
{
    public static void Register(OpRegistry r) => r.Add(["HannWindow", "HammingWindow", "BlackmanWindow"], Window);

    private static void Window(NodeContext c)
    {
        var type = (TensorDataType)c.Attributes.GetInt("output_datatype", (long)TensorDataType.Float);
        var size = c.KnownLongs(0) is [var n] ? Dim.Of(n) : Dim.Unknown;
        c.SetOutput(0, type, new TensorShape(size));
    }
}
