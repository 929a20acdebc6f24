using Google.Protobuf;
using Silica.Onnx.Protobuf;
using Silica.Serving.Core;
using Silica.Serving.Hosting;
using Silica.Serving.Repository;
using static Silica.Serving.Tests.Hosting.ServingFixtures;

namespace Silica.Serving.Tests.Hosting;

/// <summary>
/// RELIABILITY rows 28 (external data leaving the model folder) and 30 (unsupported opset or custom-op domain): the
/// version is marked FAILED with a reason naming the problem, readiness says so, and the other model keeps serving.
/// </summary>
public sealed class ModelLoadFaultTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    // Row 28
    [Theory]
    [InlineData("../../outside.bin", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("link.bin", "outside the model's folder")]
    public async Task ExternalDataLeavingTheModelFolder_LoadRejected(string location, string reason)
    {
        var outside = Directory.CreateTempSubdirectory("silica-outside-").FullName;
        try
        {
            var proto = Mlp().ToProto();
            var w = proto.Graph.Initializer[0];
            var bytes = w.RawData.Length;
            w.ClearRawData();
            w.DataLocation = TensorProto.Types.DataLocation.External;
            w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            var path = _repo.AddFile("leaky", 1, proto.ToByteArray());
            File.WriteAllBytes(Path.Combine(outside, "secret.bin"), new byte[bytes]);
            File.CreateSymbolicLink(Path.Combine(Path.GetDirectoryName(path)!, "link.bin"), Path.Combine(outside, "secret.bin"));

            await AssertFailsAloneAsync("leaky", reason);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    // Row 30
    [Fact]
    public async Task CustomOpDomain_CleanFailureNamingTheOp()
    {
        var model = Mlp();
        var g = model.Graph;
        var y = g.Outputs[0];
        g.AddNode("Boom", [y], ["boomed"], name: "boom_node", domain: "com.example.evil");
        model.SetOpset("com.example.evil", 1);
        g.ClearOutputs();
        var boomed = g.FindValue("boomed")!;
        boomed.Type = y.Type;
        g.AddOutput(boomed);
        _repo.AddModel("custom", 1, model);

        await AssertFailsAloneAsync("custom", "Boom");
    }

    // Row 30
    [Fact]
    public async Task UnsupportedOpset_CleanFailureNamingIt()
    {
        var model = Mlp();
        model.SetOpset("", 99);
        _repo.AddModel("future", 1, model);

        await AssertFailsAloneAsync("future", "99");
    }

    private async Task AssertFailsAloneAsync(string name, string reason)
    {
        _repo.AddModel("good", 1, Mlp());
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);
        await server.StartAsync(Ct);

        Assert.False(server.IsReady);
        Assert.False(server.IsModelReady(name, "1"));
        var entry = Assert.Single(server.Index(readyOnly: false), e => e.Name == name);
        Assert.Equal(ModelState.Failed, entry.State);
        Assert.Contains(reason, entry.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", entry.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_repo.Root, entry.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelNotReadyException>(() => server.InferAsync(MlpRequest(model: name), Ct).AsTask());
        Assert.Single((await server.InferAsync(MlpRequest(model: "good"), Ct)).Outputs);
    }
}
