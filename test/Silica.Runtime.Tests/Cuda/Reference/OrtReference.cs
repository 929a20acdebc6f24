using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Tests.Cuda.Reference;

/// <summary>Runs a tiny ONNX graph on ONNX Runtime (the CPU backend) to get the values a plan must reproduce.</summary>
internal static class OrtReference
{
    private static readonly Silica.Runtime.Backends.SessionOptions OneThread = new() { IntraOpThreads = 1, AllowSpinning = false };

    /// <summary>Float inputs and outputs with the given shapes.</summary>
    public static float[][] Run(OnnxModel model, (float[] Values, long[] Shape)[] inputs, params long[][] outputShapes)
    {
        using var session = new CpuBackend().CreateSession(model, OneThread);
        var ins = inputs.Select(i => Tensor.FromArray(i.Values, i.Shape)).ToArray();
        var outs = outputShapes.Select(s => Tensor.Allocate(TensorDataType.Float, s)).ToArray();
        try
        {
            session.Run(ins, outs);
            return [.. outs.Select(o => o.AsFloats().ToArray())];
        }
        finally
        {
            foreach (var t in ins.Concat(outs))
            {
                t.Dispose();
            }
        }
    }

    /// <summary>One node on float inputs named x0, x1…; weights are given as float initializers.</summary>
    public static float[] RunNode(string op, (float[] Values, long[] Shape)[] inputs, (float[] Values, long[] Shape)[] weights,
        long[] outputShape, params Silica.Onnx.Protobuf.AttributeProto[] attributes)
    {
        var g = new GraphBuilder("node", opset: 17);
        var values = new List<Value?>();
        for (var i = 0; i < inputs.Length; i++)
        {
            values.Add(g.Input("x" + i, TensorDataType.Float, [.. inputs[i].Shape.Select(d => (Dim)d)]));
        }
        for (var i = 0; i < weights.Length; i++)
        {
            values.Add(g.ConstantFloat("w" + i, weights[i].Shape, weights[i].Values));
        }
        g.Output(g.Node(op, values, attributes), "y", new TensorType(TensorDataType.Float, new TensorShape([.. outputShape.Select(d => (Dim)d)])));
        return Run(g.Build(), inputs, outputShape)[0];
    }

    public static float[] Values(int count, int seed) => TestModels.Values(count, seed);

    public static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bound = tolerance * Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= bound) && !(float.IsNaN(expected[i]) && float.IsNaN(actual[i])) && expected[i] != actual[i])
            {
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {bound})");
            }
        }
    }
}
