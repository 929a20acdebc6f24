using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;
using Silica.Optimization.Quantization;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Tests.Quantization;

public sealed class Float8OrtAgreementTests
{
    [Fact]
    public void Round_MatchesOrtFloat8QuantizeDequantize()
    {
        // x -> QuantizeLinear(float8e4m3fn, scale 1) -> DequantizeLinear, run by ONNX Runtime's CPU kernels.
        var graph = new OnnxGraph();
        var x = graph.AddInput("x", new TensorType(TensorDataType.Float, TensorShape.Of(4096)));
        var scale = graph.AddInitializer(TensorData.FromFloats("scale", [], [1f]));
        var zero = graph.AddInitializer(TensorData.FromRaw("zero", TensorDataType.Float8E4M3FN, [], [0]));
        var q = graph.AddNode("QuantizeLinear", [x, scale, zero], ["q"]);
        var dq = graph.AddNode("DequantizeLinear", [q.Outputs[0], scale, zero], ["y"]);
        dq.Outputs[0]!.Type = new TensorType(TensorDataType.Float, TensorShape.Of(4096));
        graph.AddOutput(dq.Outputs[0]!);
        var model = new OnnxModel(graph, 19, 9);
        var random = new Random(11);
        var values = new float[4096];
        for (var i = 0; i < values.Length; i++)
        {
            // Magnitudes from 2^-12 (below the subnormals) to 2^10 (beyond saturation), both signs.
            values[i] = (float)(Math.Pow(2, (random.NextDouble() * 22) - 12) * (random.Next(2) == 0 ? -1 : 1));
        }
        var samples = new SampleSet([new Sample(new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(values, [4096]) }, null, "0")], "test", true);

        var ort = ModelEvaluator.Run(model, samples)[0][0].AsFloats().ToArray();

        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Float8E4M3.Round(values[i]) == ort[i], $"{values[i]:R}: Silica {Float8E4M3.Round(values[i]):R}, ORT {ort[i]:R}");
        }
    }

    [Fact]
    public void DequantizePerAxis_MatchesDecodeTimesChannelScale()
    {
        // The per-channel weight form Fp8Quantizer writes for Conv: float8 [8, 3, 2, 2], one scale per output channel.
        var graph = new OnnxGraph();
        var random = new Random(5);
        var bytes = new byte[8 * 12];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.Next(256);
            bytes[i] = (bytes[i] & 0x7F) == 0x7F ? (byte)0 : bytes[i]; // no NaN codes
        }
        float[] scales = [.. Enumerable.Range(0, 8).Select(c => MathF.ScaleB(1.5f, c - 4))];
        var q = graph.AddInitializer(TensorData.FromRaw("q", TensorDataType.Float8E4M3FN, [8, 3, 2, 2], bytes));
        var scale = graph.AddInitializer(TensorData.FromFloats("scale", [8], scales));
        var zero = graph.AddInitializer(TensorData.FromRaw("zero", TensorDataType.Float8E4M3FN, [8], new byte[8]));
        var x = graph.AddInput("x", new TensorType(TensorDataType.Float, TensorShape.Of(8, 3, 2, 2)));
        var dq = graph.AddNode("DequantizeLinear", [q, scale, zero], ["w"], [Silica.Onnx.Building.Attr.Int("axis", 0)]);
        var sum = graph.AddNode("Add", [dq.Outputs[0], x], ["y"]);
        sum.Outputs[0]!.Type = new TensorType(TensorDataType.Float, TensorShape.Of(8, 3, 2, 2));
        graph.AddOutput(sum.Outputs[0]!);
        var model = new OnnxModel(graph, 19, 9);
        var samples = new SampleSet([new Sample(new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new float[96], [8, 3, 2, 2]) }, null, "0")], "test", true);

        var ort = ModelEvaluator.Run(model, samples)[0][0].AsFloats().ToArray();

        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.Equal(Float8E4M3.Decode(bytes[i]) * scales[i / 12], ort[i]);
        }
    }
}
