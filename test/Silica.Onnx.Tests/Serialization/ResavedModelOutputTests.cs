using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Tests;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Serialization;

/// <summary>A model saved by Silica gives ONNX Runtime outputs bit-identical to the original file.</summary>
public sealed class ResavedModelOutputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ch_PP-OCRv4_det_infer.onnx", new long[] { 1, 3, 320, 320 })]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", new long[] { 1, 3, 48, 320 })]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", new long[] { 1, 3, 48, 192 })]
    public void Resave_OcrModel_OrtOutputsBitIdentical(string file, long[] shape)
    {
        var path = TestData.OcrModel(file);
        var input = new float[shape.Aggregate(1L, (a, b) => a * b)];
        var rng = new Random(7);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)rng.NextDouble();
        }

        var original = Run(File.ReadAllBytes(path), [input], [shape]);
        var resaved = Run(OnnxModel.Load(path).ToBytes(), [input], [shape]);

        AssertBitIdentical(original, resaved, file);
    }

    [Fact]
    public void Resave_BackendNodeTestsWithFloatInputs_OrtOutputsBitIdentical()
    {
        var compared = 0;
        foreach (var dir in Directory.GetDirectories(Path.Combine(TestData.OnnxBackendData, "node")).Order(StringComparer.Ordinal))
        {
            var modelPath = Path.Combine(dir, "model.onnx");
            var set = Path.Combine(dir, "test_data_set_0");
            if (!File.Exists(modelPath) || !Directory.Exists(set))
            {
                continue;
            }
            var inputs = Directory.GetFiles(set, "input_*.pb").Order(StringComparer.Ordinal)
                .Select(f => TensorProto.Parser.ParseFrom(File.ReadAllBytes(f))).ToList();
            if (inputs.Count == 0 || inputs.Any(t => t.DataType != (int)TensorDataType.Float))
            {
                continue;
            }
            var bytes = File.ReadAllBytes(modelPath);
            var data = inputs.Select(t => TensorData.ToDoubleArray(t).Select(v => (float)v).ToArray()).ToList();
            var shapes = inputs.Select(t => t.Dims.ToArray()).ToList();
            byte[][] expected;
            try
            {
                expected = Run(bytes, data, shapes);
            }
            catch (OnnxRuntimeException)
            {
                continue; // ORT 1.31 lacks a kernel for a few old test ops; nothing to compare
            }
            AssertBitIdentical(expected, Run(OnnxModel.Load(bytes).ToBytes(), data, shapes), Path.GetFileName(dir));
            if (++compared == 60)
            {
                break;
            }
        }
        output.WriteLine($"compared ORT outputs of {compared} backend node tests");
        Assert.True(compared >= 50, $"only {compared} node tests could be compared");
    }

    private static byte[][] Run(byte[] model, IReadOnlyList<float[]> inputs, IReadOnlyList<long[]> shapes)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var values = inputs.Select((d, i) => OrtValue.CreateTensorValueFromMemory(d, shapes[i])).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, session.InputNames.Take(values.Length).ToArray(), values, session.OutputNames);
            // Raw bytes whatever the output type: bit identity is the claim.
            return [.. results.Select(r => r.GetTensorMutableRawData().ToArray())];
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    private static void AssertBitIdentical(byte[][] expected, byte[][] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]),
                $"{what}: output {i} differs after re-saving");
        }
    }
}
