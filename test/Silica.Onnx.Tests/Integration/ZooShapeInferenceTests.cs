using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;
using Silica.Onnx.Tests.Zoo;
using Silica.Onnx.Zoo;

namespace Silica.Onnx.Tests.Integration;

/// <summary>Shape inference agrees with the shapes ONNX Runtime actually produces, for every zoo model.</summary>
[Collection(ZooCollection.Name)]
public sealed class ZooShapeInferenceTests
{
    [Theory]
    [InlineData("mlp", 1, 0)]
    [InlineData("mlp", 7, 0)]
    [InlineData("resnet50", 1, 0)]
    [InlineData("resnet50", 2, 0)]
    [InlineData("mobilenetv2", 1, 0)]
    [InlineData("mobilenetv2", 3, 0)]
    [InlineData("bert-base", 1, 8)]
    [InlineData("bert-base", 2, 19)]
    [InlineData("gpt2-small-prefill", 1, 8)]
    [InlineData("gpt2-small-prefill", 2, 13)]
    public void Infer_ZooModelAtBoundSize_MatchesOnnxRuntimeOutputShapes(string name, long batch, long seq)
    {
        var info = ModelZoo.Find(name)!;
        var path = ModelZoo.GetOrCreateFile(name);
        var model = OnnxModel.Load(path);
        var bindings = new Dictionary<string, long> { ["batch"] = batch };
        if (seq > 0)
        {
            bindings["seq"] = seq;
        }

        var result = ShapeInferencer.Infer(model, bindings);

        Assert.True(result.IsComplete, string.Join("; ", result.Diagnostics.Select(d => d.Message).Concat(result.IncompleteValues)));
        using var ort = new OrtRunner(path);
        var outputs = ort.Run(ZooInputs.For(info, batch, seq));
        foreach (var o in outputs)
        {
            var inferred = model.Graph.Outputs.Single(v => v.Name == o.Name).Type!.Shape!.ToArray();
            Assert.Equal(o.Shape, inferred);
        }
    }

    [Theory]
    [InlineData("bert-large", 4, 384)]
    [InlineData("gpt2-medium-prefill", 2, 1024)]
    public void Infer_WeightlessLargeModel_CompleteWithExpectedOutputShapes(string name, long batch, long seq)
    {
        var model = ModelZoo.Build(name, new ZooBuildOptions { WithWeights = false });

        var result = ShapeInferencer.Infer(model, new Dictionary<string, long> { ["batch"] = batch, ["seq"] = seq });

        Assert.True(result.IsComplete, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var first = model.Graph.Outputs[0].Type!.Shape!.ToArray();
        Assert.Equal(batch, first[0]);
        Assert.Equal(seq, first[1]);
    }
}
