using System.Runtime.InteropServices;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Serving.Core;
using Silica.Serving.Hosting;

namespace Silica.Serving.Tests.Hosting;

/// <summary>Tiny real models, temporary repositories and request builders for the server tests.</summary>
internal static class ServingFixtures
{
    /// <summary>One intra-op thread, no spinning: four test processes share two cores.</summary>
    public static readonly ModelServerOptions Options = new() { Session = new SessionOptions { IntraOpThreads = 1, AllowSpinning = false } };

    /// <summary><c>y = Relu(x · W + b)</c> on <c>x: float[batch, 16]</c>, <c>y: float[batch, 8]</c>.</summary>
    public static OnnxModel Mlp(ulong seed = 7)
    {
        var g = new GraphBuilder("mlp", opset: 17, seed: seed);
        var x = g.Input("x", TensorDataType.Float, "batch", 16);
        var w = g.Weight("w", [16, 8]);
        var b = g.Weight("b", [8], WeightFill.Small);
        var y = g.Node("Relu", [g.Node("Add", [g.Node("MatMul", [x, w]), b])]);
        g.Output(y, "y", new TensorType(TensorDataType.Float, new TensorShape("batch", 8)));
        return g.Build();
    }

    /// <summary><c>s = a + b</c> and <c>d = a - b</c> on <c>float[batch, 4]</c>: two inputs, two outputs.</summary>
    public static OnnxModel AddSub()
    {
        var g = new GraphBuilder("addsub", opset: 17);
        var a = g.Input("a", TensorDataType.Float, "batch", 4);
        var b = g.Input("b", TensorDataType.Float, "batch", 4);
        g.Output(g.Node("Add", [a, b]), "s", new TensorType(TensorDataType.Float, new TensorShape("batch", 4)));
        g.Output(g.Node("Sub", [a, b]), "d", new TensorType(TensorDataType.Float, new TensorShape("batch", 4)));
        return g.Build();
    }

    public static float[] Values(int count, int seed)
    {
        var v = new float[count];
        for (var i = 0; i < count; i++)
        {
            v[i] = MathF.Sin((seed * 131) + (i * 0.37f));
        }
        return v;
    }

    public static NamedTensor Floats(string name, float[] values, params long[] shape) =>
        new(name, TensorDataType.Float, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static InferenceRequest MlpRequest(int rows = 2, int seed = 1, string model = "mlp", string? version = null, string? id = null) =>
        new(model, version, id, [Floats("x", Values(rows * 16, seed), rows, 16)]);

    public static float[] AsFloats(NamedTensor t) => MemoryMarshal.Cast<byte, float>(t.Data.Span).ToArray();
}

/// <summary>A model repository in a temporary folder, deleted on dispose.</summary>
internal sealed class TempRepository : IDisposable
{
    public TempRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "silica-repo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string AddModel(string name, long version, OnnxModel model)
    {
        var dir = Path.Combine(Root, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.onnx");
        model.Save(path);
        return path;
    }

    public string AddFile(string name, long version, byte[] bytes)
    {
        var dir = Path.Combine(Root, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void AddConfig(string name, string json)
    {
        Directory.CreateDirectory(Path.Combine(Root, name));
        File.WriteAllText(Path.Combine(Root, name, "config.json"), json);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
