using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;

namespace Silica.Optimization.Tests.Quantization;

/// <summary>
/// Each adapter on a one-node graph at the operator's old opset: ONNX Runtime computes the same outputs before and
/// after the upgrade to 19, and nodes that cannot be carried over exactly are refused with one line naming them.
/// </summary>
public sealed class OpsetAdapterTests
{
    public static TheoryData<string, int, long[], AttributeProto[], int> Cases => new()
    {
        { "Pad", 9, [2, 3, 4], [Attr.Ints("pads", 0, 1, 2, 0, 0, 1), Attr.Float("value", 1.5f)], 1 },
        { "Pad", 9, [2, 3, 4], [Attr.String("mode", "reflect"), Attr.Ints("pads", 0, 1, 1, 0, 1, 1)], 1 },
        { "Clip", 9, [2, 3, 4], [Attr.Float("min", -0.25f)], 1 },
        { "Clip", 9, [2, 3, 4], [Attr.Float("max", 0.5f)], 1 },
        { "Split", 9, [2, 6, 4], [Attr.Int("axis", 1), Attr.Ints("split", 1, 2, 3)], 3 },
        { "Split", 12, [2, 6, 4], [Attr.Int("axis", -2)], 2 },
        { "TopK", 9, [2, 3, 8], [Attr.Int("k", 3)], 2 },
        { "Unsqueeze", 12, [2, 3], [Attr.Ints("axes", 0, 3)], 1 },
        { "Squeeze", 9, [2, 1, 3, 1], [], 1 },
        { "ReduceSum", 12, [2, 3, 4], [Attr.Ints("axes", 1), Attr.Int("keepdims", 0)], 1 },
        { "ReduceSum", 9, [2, 3, 4], [], 1 },
        { "ReduceMax", 12, [2, 3, 4], [Attr.Ints("axes", -1, 0)], 1 },
        { "Softmax", 9, [2, 3, 4], [], 1 }, // axis 1 of 3: the old 2-D coercion normalizes over 3x4 values
        { "LogSoftmax", 12, [2, 3, 4, 5], [Attr.Int("axis", 2)], 1 },
        { "Hardmax", 9, [2, 3, 4], [Attr.Int("axis", 2)], 1 },
        { "Softmax", 9, [6, 5], [], 1 },
        { "Dropout", 9, [2, 3], [Attr.Float("ratio", 0.3f)], 1 },
        { "Slice", 9, [4, 6], [Attr.Ints("starts", 1, -4), Attr.Ints("ends", 3, 1000), Attr.Ints("axes", 0, 1)], 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Upgrade_OneNode_SameOrtOutputs(string op, int opset, long[] shape, AttributeProto[] attributes, int outputs)
    {
        var model = OneNode(op, opset, shape, attributes, outputs, []);
        var inputs = OrtCompare.InputsFor(model, new Dictionary<string, long>(), seed: 3);
        var reference = OrtCompare.Run(model, inputs);

        OpsetUpgrade.To(model, 19, "test");

        Assert.Equal(19, model.Opset);
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), rtol: 0);
    }

    [Fact]
    public void Upgrade_UpsampleNearestEnlarging_BecomesAsymmetricFloorResize()
    {
        var scales = TensorData.FromFloats("scales", [4], [1, 1, 2, 3]);
        var model = OneNode("Upsample", 9, [1, 2, 3, 4], [Attr.String("mode", "nearest")], 1, [scales]);
        var inputs = OrtCompare.InputsFor(model, new Dictionary<string, long>());
        var reference = OrtCompare.Run(model, inputs);

        OpsetUpgrade.To(model, 19, "test");

        var resize = Assert.Single(model.Graph.Nodes);
        Assert.Equal("Resize", resize.OpType);
        Assert.Equal("asymmetric", resize.Attributes.GetString("coordinate_transformation_mode", ""));
        Assert.Equal("floor", resize.Attributes.GetString("nearest_mode", ""));
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), rtol: 0);
    }

    [Fact]
    public void Upgrade_UpsampleBilinear_KeepsOrtOutputs()
    {
        var scales = TensorData.FromFloats("scales", [4], [1, 1, 2, 2]);
        var model = OneNode("Upsample", 9, [1, 2, 3, 4], [Attr.String("mode", "linear")], 1, [scales]);
        var inputs = OrtCompare.InputsFor(model, new Dictionary<string, long>());
        var reference = OrtCompare.Run(model, inputs);

        OpsetUpgrade.To(model, 19, "test");

        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), rtol: 1e-6);
    }

    [Fact]
    public void Upgrade_UpsampleNearestShrinking_RefusedNamingTheNode()
    {
        var scales = TensorData.FromFloats("scales", [4], [1, 1, 0.5f, 0.5f]);
        var model = OneNode("Upsample", 9, [1, 2, 4, 4], [], 1, [scales]);

        var e = Assert.Throws<NotSupportedException>(() => OpsetUpgrade.To(model, 19, "FP8 QDQ"));

        Assert.Equal("FP8 QDQ needs opset 19; cannot upgrade Upsample node 'node' from opset 9: nearest resizing that shrinks (opset 10 and 11 round it differently)", e.Message);
        Assert.Equal(9, model.Opset);
    }

    [Fact]
    public void Upgrade_OperatorWithoutKnownHistory_RefusedBeforeAnythingChanges()
    {
        var model = OneNode("LpPool", 9, [1, 2, 4, 4], [Attr.Ints("kernel_shape", 2, 2)], 1, []);
        var graph = model.Graph;
        // A node ahead of it that would be rewritten: nothing may change when the upgrade is refused.
        var clip = graph.AddNode("Clip", [graph.RuntimeInputs.Single()], ["clipped"], [Attr.Float("max", 1f)], "clip");

        var e = Assert.Throws<NotSupportedException>(() => OpsetUpgrade.To(model, 19, "FP8 QDQ"));

        Assert.Equal("FP8 QDQ needs opset 19; cannot upgrade LpPool node 'node' from opset 9: no version adapter for this operator", e.Message);
        Assert.True(clip.Attributes.Has("max"));
        Assert.Equal(9, model.Opset);
    }

    [Fact]
    public void Upgrade_DropoutWithUsedMask_Refused()
    {
        var model = OneNode("Dropout", 9, [2, 3], [], 2, []);

        var e = Assert.Throws<NotSupportedException>(() => OpsetUpgrade.To(model, 13, "test"));

        Assert.Contains("mask output is used", e.Message, StringComparison.Ordinal);
    }

    private static OnnxModel OneNode(string op, int opset, long[] shape, AttributeProto[] attributes, int outputs, TensorProto[] constants)
    {
        var graph = new OnnxGraph();
        var x = graph.AddInput("x", new TensorType(TensorDataType.Float, TensorShape.Of(shape)));
        var inputs = new List<Value?> { x };
        inputs.AddRange(constants.Select(graph.AddInitializer));
        var node = graph.AddNode(op, inputs, [.. Enumerable.Range(0, outputs).Select(i => $"y{i}")], attributes, "node");
        foreach (var y in node.Outputs)
        {
            y!.Type = new TensorType(op == "TopK" && y.Name == "y1" ? TensorDataType.Int64 : TensorDataType.Float, null);
            graph.AddOutput(y);
        }
        return new OnnxModel(graph, opset);
    }
}
