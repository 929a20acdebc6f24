using System.Globalization;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;

namespace Silica.Onnx.Tests.ShapeInference;

/// <summary>Builds small graphs for shape tests; shapes are written as <c>"batch,3,224,224"</c> (<c>?</c> for unknown).</summary>
internal static class InferenceHarness
{
    public static Dim[] Dims(string spec) =>
        spec.Length == 0 ? [] : [.. spec.Split(',').Select(s => s == "?" ? Dim.Unknown
            : long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Dim.Of(n) : Dim.Named(s))];

    /// <summary>Builds a graph, infers it, asserts there are no diagnostics and returns the result value's type.</summary>
    public static TensorType Infer(Func<GraphBuilder, Value> build, long opset = 17, IReadOnlyDictionary<string, long>? bindings = null)
    {
        var (value, result) = InferWithResult(build, opset, bindings);
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics.Select(d => d.Message)));
        return value.Type ?? throw new Xunit.Sdk.XunitException($"no type inferred for {value.Name}");
    }

    public static (Value Value, ShapeInferenceResult Result) InferWithResult(Func<GraphBuilder, Value> build, long opset = 17,
        IReadOnlyDictionary<string, long>? bindings = null)
    {
        var b = new GraphBuilder("test", opset);
        var value = build(b);
        b.Graph.AddOutput(value);
        var result = ShapeInferencer.Infer(b.Build(), bindings);
        return (value, result);
    }

    /// <summary>Infers a single node over float inputs of the given shapes and returns its output shape as text.</summary>
    public static string Single(string opType, string[] inputShapes, long opset = 17, params Protobuf.AttributeProto[] attributes) =>
        Infer(b => b.Node(opType, [.. inputShapes.Select((s, i) => b.Input($"x{i}", TensorDataType.Float, Dims(s)))], attributes), opset).Shape!.ToString();
}
