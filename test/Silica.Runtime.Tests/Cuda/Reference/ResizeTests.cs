using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Runtime.Cuda.Planning;
using Silica.Tests;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class ResizeTests
{
    private const TensorDataType F = TensorDataType.Float;

    [Theory]
    [InlineData("nearest", "half_pixel", "round_prefer_floor")]
    [InlineData("nearest", "half_pixel", "round_prefer_ceil")]
    [InlineData("nearest", "asymmetric", "floor")]
    [InlineData("nearest", "align_corners", "ceil")]
    [InlineData("nearest", "asymmetric", "round_prefer_floor")]
    [InlineData("linear", "half_pixel", "round_prefer_floor")]
    [InlineData("linear", "pytorch_half_pixel", "round_prefer_floor")]
    [InlineData("linear", "asymmetric", "round_prefer_floor")]
    [InlineData("linear", "align_corners", "round_prefer_floor")]
    public void Resize_EachMode_MatchesOnnxRuntime(string mode, string coordinates, string nearest)
    {
        // H: 5 → 8 (×1.7), W: 8 → 5 (×0.7): up and down in one node, scales that do not give whole output lengths.
        var x = Values(2 * 3 * 5 * 8, 1);
        var g = new GraphBuilder("resize", opset: 17);
        var xv = g.Input("x", F, 2, 3, 5, 8);
        var scales = g.ConstantFloat("scales", [4], 1, 1, 1.7f, 0.7f);
        var y = g.Node("Resize", [xv, null, scales], Attr.String("mode", mode), Attr.String("coordinate_transformation_mode", coordinates),
            Attr.String("nearest_mode", nearest));
        g.Output(y, "y", new TensorType(F, new TensorShape(2, 3, 8, 5)));
        var expected = Run(g.Build(), [(x, [2, 3, 5, 8])], [2, 3, 8, 5])[0];

        var actual = RunResize(x, [2, 3, 5, 8], [2, 3, 8, 5], mode, coordinates, nearest, 1.7f, 0.7f);

        AssertClose(expected, actual);
    }

    public static TheoryData<string> BackendCases => new()
    {
        "test_resize_downsample_scales_linear",
        // Not test_resize_downsample_scales_linear_align_corners: its expected output divides by the unfloored in·scale − 1
        // (ONNX's Python reference) where ONNX Runtime and ResizeStep divide by out − 1; the ORT theory above pins the latter.
        "test_resize_downsample_scales_nearest",
        "test_resize_downsample_sizes_linear_pytorch_half_pixel",
        "test_resize_downsample_sizes_nearest",
        "test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn",
        "test_resize_upsample_scales_linear",
        "test_resize_upsample_scales_linear_align_corners",
        "test_resize_upsample_scales_nearest",
        "test_resize_upsample_sizes_nearest",
        "test_resize_upsample_sizes_nearest_ceil_half_pixel",
        "test_resize_upsample_sizes_nearest_floor_align_corners",
        "test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric",
    };

    [Theory]
    [MemberData(nameof(BackendCases))]
    public void Resize_OnnxBackendNodeTest_MatchesReferenceOutput(string testName)
    {
        var dir = Path.Combine(TestData.OnnxBackendData, "node", testName);
        var model = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
        var node = Assert.Single(model.Graph.Nodes, n => n.OpType == "Resize");
        // Scales or sizes arrive as graph inputs or as Constant nodes.
        var inputs = model.Graph.Inputs.Select((v, i) => (v.Name, Tensor: Read(Path.Combine(dir, "test_data_set_0", $"input_{i}.pb"))))
            .Concat(model.Graph.Nodes.Where(n => n.OpType == "Constant").Select(n => (n.Outputs[0]!.Name, Tensor: n.Attributes.GetTensor("value")!)))
            .ToDictionary(p => p.Name, p => p.Tensor);
        var x = inputs[node.Inputs[0]!.Name];
        var expected = Read(Path.Combine(dir, "test_data_set_0", "output_0.pb"));
        long[] xShape = [.. x.Dims];
        long[] yShape = [.. expected.Dims];
        var scales = node.Input(2) is { Name.Length: > 0 } s && inputs.TryGetValue(s.Name, out var st) && st.Dims[0] > 0
            ? TensorData.ToDoubleArray(st).Select(v => (float)v).ToArray()
            : [.. yShape.Select((d, i) => d / (float)xShape[i])];
        var a = node.Attributes;

        var actual = RunResize(TensorData.ToDoubleArray(x).Select(v => (float)v).ToArray(), xShape, yShape,
            a.GetString("mode", "nearest"), a.GetString("coordinate_transformation_mode", "half_pixel"),
            a.GetString("nearest_mode", "round_prefer_floor"), scales[2], scales[3]);

        AssertClose(TensorData.ToDoubleArray(expected).Select(v => (float)v).ToArray(), actual);
    }

    private static float[] RunResize(float[] x, long[] xShape, long[] yShape, string mode, string coordinates, string nearest, float scaleH, float scaleW)
    {
        var p = new TestPlan();
        var xi = p.Input(F, xShape);
        var yi = p.Output(F, yShape);
        p.Step(new ResizeStep("resize", xi, yi, mode == "linear" ? ResizeMode.Linear : ResizeMode.Nearest, coordinates, nearest, scaleH, scaleW));
        return p.Run(x);
    }

    private static TensorProto Read(string path) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
}
