using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Onnx.Serialization;

namespace Silica.Onnx.Tests.Serialization;

/// <summary>External data is written and read back, and locations that leave the model's folder are refused.</summary>
public sealed class ExternalDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("silica-extdata-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveWithExternalData_MlpModel_ReloadsWithIdenticalOrtOutputs()
    {
        var source = Path.Combine(_dir, "source.onnx");
        Silica.Onnx.Zoo.ModelZoo.Build("mlp").Save(source);
        var path = Path.Combine(_dir, "mlp.onnx");
        OnnxModel.Load(source).Save(path, new OnnxWriteOptions { ExternalDataFileName = "weights.bin" });

        Assert.True(new FileInfo(path).Length < new FileInfo(source).Length / 2, "weights should have moved out of the model file");
        Assert.True(File.Exists(Path.Combine(_dir, "weights.bin")));
        var reloaded = OnnxModel.Load(path);
        Assert.Equal(OnnxModel.Load(source).ToBytes(), reloaded.ToBytes());
        var shapeOnly = OnnxModel.Load(path, new OnnxReadOptions { LoadExternalData = false });
        Assert.Equal(reloaded.Graph.Nodes.Count, shapeOnly.Graph.Nodes.Count);

        var input = Enumerable.Range(0, 2 * 784).Select(i => (float)Math.Sin(i)).ToArray();
        Assert.Equal(RunOrt(File.ReadAllBytes(source), input, [2, 784]), RunOrt(path, input, [2, 784]));
    }

    [Fact]
    public void SaveWithExternalData_OcrModelWithConstantNodeWeights_MovesThemAndKeepsIrUntouched()
    {
        var source = Silica.Tests.TestData.OcrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");
        var model = OnnxModel.Load(source);
        var before = model.ToBytes();
        var path = Path.Combine(_dir, "cls.onnx");

        model.Save(path, new OnnxWriteOptions { ExternalDataFileName = "weights.bin" });

        Assert.True(new FileInfo(path).Length < new FileInfo(source).Length / 2, "Constant-node weights should have moved out");
        Assert.Equal(before, model.ToBytes());
        Assert.Equal(before, OnnxModel.Load(path).ToBytes());
        var input = Enumerable.Range(0, 3 * 48 * 192).Select(i => (float)Math.Sin(i)).ToArray();
        Assert.Equal(RunOrt(File.ReadAllBytes(source), input, [1, 3, 48, 192]), RunOrt(path, input, [1, 3, 48, 192]));
    }

    [Fact]
    public void Save_ModelLoadedWithoutExternalData_RefusesAndKeepsTheDataFile()
    {
        var path = Path.Combine(_dir, "mlp.onnx");
        Silica.Onnx.Zoo.ModelZoo.Build("mlp").Save(path, new OnnxWriteOptions { ExternalDataFileName = "weights.bin" });
        var size = new FileInfo(Path.Combine(_dir, "weights.bin")).Length;
        var shapeOnly = OnnxModel.Load(path, new OnnxReadOptions { LoadExternalData = false });

        var e = Assert.Throws<InvalidOperationException>(() => shapeOnly.Save(path, new OnnxWriteOptions { ExternalDataFileName = "weights.bin" }));

        Assert.Contains("LoadExternalData", e.Message, StringComparison.Ordinal);
        Assert.Equal(size, new FileInfo(Path.Combine(_dir, "weights.bin")).Length);
        Assert.NotNull(OnnxModel.Load(path));
    }

    [Fact]
    public void Load_ExternalDataFromBytes_FailsNamingTheTensor()
    {
        var path = WriteModelWithLocation("weights.bin");
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(File.ReadAllBytes(path)));
        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains("load the model from its file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("../outside.bin", "'..'")]
    [InlineData("sub/../../outside.bin", "'..'")]
    [InlineData("a\0b", "NUL")]
    [InlineData("missing.bin", "not found")]
    public void Load_BadLocation_RejectedWithReason(string location, string reason)
    {
        var path = WriteModelWithLocation(location);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SymlinkedFileLeavingFolder_Rejected()
    {
        var outside = Directory.CreateTempSubdirectory("silica-outside-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(outside, "secret.bin"), new byte[64]);
            File.CreateSymbolicLink(Path.Combine(_dir, "weights.bin"), Path.Combine(outside, "secret.bin"));
            var path = WriteModelWithLocation("weights.bin");
            var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path));
            Assert.Contains("outside the model's folder", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Load_SymlinkedDirectoryLeavingFolder_Rejected()
    {
        var outside = Directory.CreateTempSubdirectory("silica-outside-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(outside, "weights.bin"), new byte[64]);
            Directory.CreateSymbolicLink(Path.Combine(_dir, "data"), outside);
            var path = WriteModelWithLocation("data/weights.bin");
            var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path));
            Assert.Contains("outside the model's folder", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Load_SymlinkStayingInsideFolder_Accepted()
    {
        File.WriteAllBytes(Path.Combine(_dir, "real.bin"), new byte[64]);
        File.CreateSymbolicLink(Path.Combine(_dir, "weights.bin"), Path.Combine(_dir, "real.bin"));
        var model = OnnxModel.Load(WriteModelWithLocation("weights.bin"));
        Assert.Equal(64, model.Graph.Initializers[0].Initializer!.RawData.Length);
    }

    [Theory]
    [InlineData("0", "128", "needs 64")]
    [InlineData("32", "64", "past the end")]
    [InlineData("-1", null, "non-negative")]
    [InlineData("4096", null, "past the end")]
    public void Load_BadOffsetOrLength_Rejected(string offset, string? length, string reason)
    {
        File.WriteAllBytes(Path.Combine(_dir, "weights.bin"), new byte[64]);
        var path = WriteModelWithLocation("weights.bin", offset, length);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A 4x4 float model whose weight 'w' (64 bytes) is declared external at <paramref name="location"/>.</summary>
    private string WriteModelWithLocation(string location, string offset = "0", string? length = "64")
    {
        var g = new GraphBuilder("ext");
        var x = g.Input("x", TensorDataType.Float, 4, 4);
        var w = g.Weight("w", [4, 4]);
        g.Output(g.Node("MatMul", [x, w]), "y", new TensorType(TensorDataType.Float, TensorShape.Of(4, 4)));
        var proto = g.Build().ToProto();
        var t = proto.Graph.Initializer.Single();
        t.ClearRawData();
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset });
        if (length is not null)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length });
        }
        var path = Path.Combine(_dir, $"model-{Guid.NewGuid():N}.onnx");
        using (var f = File.Create(path))
        {
            Google.Protobuf.MessageExtensions.WriteTo(proto, f);
        }
        return path;
    }

    private static float[] RunOrt(object model, float[] input, long[] shape)
    {
        using var session = model is string p ? new InferenceSession(p) : new InferenceSession((byte[])model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [session.InputNames[0]], [value], session.OutputNames);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
