using Silica.Onnx.Graph;
using Silica.Onnx.Protobuf;
using Silica.Tests;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Serialization;

/// <summary>Every model in ONNX's own backend test data loads, re-saves and re-loads unchanged.</summary>
public sealed class BackendRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void SaveReload_EveryBackendModel_UnchangedAndStable()
    {
        var models = Directory.GetFiles(TestData.OnnxBackendData, "model.onnx", SearchOption.AllDirectories);
        Array.Sort(models, StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var path in models)
        {
            var original = File.ReadAllBytes(path);
            try
            {
                var first = OnnxModel.Load(path).ToBytes();
                var second = OnnxModel.Load(first).ToBytes();
                if (!first.AsSpan().SequenceEqual(second))
                {
                    failures.Add($"{Rel(path)}: second save differs from the first");
                    continue;
                }
                if (!ModelProto.Parser.ParseFrom(original).Equals(ModelProto.Parser.ParseFrom(first)))
                {
                    failures.Add($"{Rel(path)}: re-saved model differs from the original message");
                }
            }
            catch (OnnxFormatException e)
            {
                failures.Add($"{Rel(path)}: {e.Message}");
            }
        }
        output.WriteLine($"round trip: {models.Length - failures.Count} / {models.Length} backend models unchanged");
        Assert.True(models.Length > 1000, $"expected the full backend data set, found {models.Length} models");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    private static string Rel(string path) => Path.GetRelativePath(TestData.OnnxBackendData, path);
}
