using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Building;
using Silica.Onnx.Model;
using Silica.Optimization.Precision;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Precision;

/// <summary>
/// BF16 on a CPU: the real BF16 model is valid ONNX but ONNX Runtime's CPU provider cannot run it, so accuracy
/// is measured on <see cref="BFloat16Emulation"/>'s FP32 graph with BF16 rounding.
/// </summary>
public sealed class BFloat16EmulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("mlp", 0.999)]
    [InlineData("mobilenetv2", 0.99)]
    [InlineData("bert-base", 0.999)]
    public void Emulation_ZooModel_RunsOnCpuAndTracksFp32(string name, double minCosine)
    {
        var sample = ZooSamples.Get(name);
        var (model, inputs, reference) = (sample.Load(), sample.Inputs, sample.Reference);

        var report = BFloat16Emulation.Apply(model, new HalfPrecisionOptions(TensorDataType.BFloat16));
        output.WriteLine(report.ToString());
        Assert.Equal(TensorDataType.BFloat16, report.Target);
        // Every stored weight is FP32 again, holding a BF16-representable value (low 16 bits zero).
        Assert.All(model.Graph.Initializers, v => Assert.NotEqual((int)TensorDataType.BFloat16, v.Initializer!.DataType));
        var weight = model.Graph.Initializers.Where(v => v.Initializer!.DataType == (int)TensorDataType.Float).MaxBy(v => TensorData.ElementCount(v.Initializer!))!;
        Assert.All(TensorData.ToDoubleArray(weight.Initializer!), x => Assert.Equal(0u, BitConverter.SingleToUInt32Bits((float)x) & 0xFFFF));

        var actual = OrtCompare.Run(model, inputs);
        for (var i = 0; i < reference.Count; i++)
        {
            var cosine = OrtCompare.Cosine(reference[i], actual[i]);
            output.WriteLine($"{reference[i].Name}: cosine {cosine:F6}");
            Assert.True(cosine >= minCosine, $"{name} {reference[i].Name}: cosine {cosine}");
            // Not bit-equal to FP32: the rounding really happens.
            Assert.NotEqual(reference[i].Values, actual[i].Values);
        }
    }

    [Fact]
    public void RealBf16Model_IsRejectedByCpuProvider_EmulationIsNot()
    {
        var sample = ZooSamples.Get("mlp");
        var (model, inputs) = (sample.Load(), sample.Inputs);
        var bf16 = sample.Load();
        HalfPrecisionConverter.Convert(bf16, new HalfPrecisionOptions(TensorDataType.BFloat16));
        Assert.Contains(bf16.Graph.Initializers, v => v.Initializer!.DataType == (int)TensorDataType.BFloat16);
        var e = Assert.Throws<OnnxRuntimeException>(() => OrtCompare.Run(bf16, inputs));
        output.WriteLine(e.Message);

        BFloat16Emulation.Apply(model, new HalfPrecisionOptions(TensorDataType.BFloat16));
        Assert.Single(OrtCompare.Run(model, inputs));
    }

    [Fact]
    public void OrtCastRounding_EqualsTheWeightRounding()
    {
        // The emulation rounds activations with ONNX Runtime's Cast and weights with HalfTensors.Round: they must agree.
        float[] values = [1.0f, 1.00390625f, 1.01171875f, 3.14159265f, -2.71828f, 1e-3f, 65504f, 3.3e38f, -0.0f, 1.7e-39f];
        var b = new GraphBuilder("round", opset: 17);
        var x = b.Input("x", TensorDataType.Float, values.Length);
        var bf = b.Node("Cast", [x], Attr.Int("to", (long)TensorDataType.BFloat16));
        b.Output(b.Node("Cast", [bf], Attr.Int("to", (long)TensorDataType.Float)), "y", new TensorType(TensorDataType.Float, TensorShape.Of(values.Length)));
        var result = OrtCompare.Run(b.Build(), [new OrtInput("x", TensorDataType.Float, [values.Length], Floats: values)]).Single();
        Assert.Equal(values.Select(v => HalfTensors.Round(v, TensorDataType.BFloat16)), result.Values);
    }

    [Theory]
    [InlineData(1.0f, 1.0f)]
    [InlineData(1.00390625f, 1.0f)] // exactly halfway between 1 and 1 + 2^-7: ties to even
    [InlineData(1.01171875f, 1.015625f)] // halfway, rounds up to the even neighbour
    [InlineData(3.14159265f, 3.140625f)]
    public void Round_BFloat16_NearestEven(float value, float expected) =>
        Assert.Equal(expected, HalfTensors.Round(value, TensorDataType.BFloat16));
}
