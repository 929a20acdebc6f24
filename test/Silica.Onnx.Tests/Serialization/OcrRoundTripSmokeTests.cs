using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Graph;
using Silica.Tests;

namespace Silica.Onnx.Tests.Serialization;

public sealed class OcrRoundTripSmokeTests
{
    [Theory]
    [MemberData(nameof(OcrModels))]
    public void SaveThenLoad_OcrModel_BytesIdenticalToFirstSave(string file)
    {
        var model = OnnxModel.Load(TestData.OcrModel(file));
        var first = model.ToBytes();
        var again = OnnxModel.Load(first).ToBytes();
        Assert.Equal(first, again);
        Assert.True(model.Graph.Nodes.Count > 10);
        using var session = new InferenceSession(first);
        Assert.NotEmpty(session.InputMetadata);
    }

    public static TheoryData<string> OcrModels() => new(TestData.OcrModelFiles);
}
