using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Onnx.ShapeInference;
using Silica.Tests;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.ShapeInference;

/// <summary>
/// Runs shape inference over every ONNX backend node test and compares the inferred output types with
/// the reference outputs stored next to each model. Small inputs are also fed in as constants so that
/// data-dependent shapes (Reshape targets, Slice bounds, Range limits...) must resolve exactly.
/// </summary>
public sealed class OnnxBackendConformanceTests(ITestOutputHelper output)
{
    /// <summary>Set a little under the count reached when this was written, so a regression fails.</summary>
    private const int MinimumExactMatches = 850;

    /// <summary>Inputs up to this many elements are made constant in the second pass.</summary>
    private const long ConstantInputLimit = 64;

    [Fact]
    public void Infer_OnnxBackendNodeTests_CoveredTestsMatchReferenceOutputs()
    {
        var root = Path.Combine(TestData.OnnxBackendData, "node");
        var uncoveredOps = new Dictionary<string, int>(StringComparer.Ordinal);
        var mismatches = new List<string>();
        var unresolved = new List<string>();
        int total = 0, covered = 0, exact = 0;
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            total++;
            if (Load(dir) is not { } test || test.Outputs.Any(o => o is null))
            {
                Count(uncoveredOps, "(non-tensor or unreadable)");
                continue;
            }
            // Pass 1: the graph as stored; unknown dimensions are allowed, contradictions are not.
            var asStored = ShapeInferencer.Infer(test.Model);
            if (asStored.Diagnostics.Count > 0)
            {
                foreach (var op in asStored.Diagnostics.Select(d => d.OpType).Distinct())
                {
                    Count(uncoveredOps, op);
                }
                continue;
            }
            covered++;
            Compare(name + " (as stored)", test, requireExact: false, mismatches, unresolved);

            // Pass 2: small inputs as constants; every dimension must now be exact.
            var withConstants = Load(dir)!;
            MakeSmallInputsConstant(withConstants);
            var folded = ShapeInferencer.Infer(withConstants.Model);
            if (folded.Diagnostics.Count > 0)
            {
                mismatches.Add($"{name}: diagnostics only with constant inputs: {folded.Diagnostics[0].Message}");
            }
            else if (Compare(name, withConstants, requireExact: true, mismatches, unresolved))
            {
                exact++;
            }
        }

        output.WriteLine($"covered {covered}/{total} node tests without diagnostics; {exact} match every output dtype and dim exactly");
        output.WriteLine($"unresolved dims (data-dependent): {string.Join(", ", unresolved)}");
        output.WriteLine("uncovered operators (tests): " + string.Join(", ", uncoveredOps.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n" + string.Join("\n", mismatches));
        Assert.True(exact >= MinimumExactMatches, $"only {exact} exact matches, floor is {MinimumExactMatches}");
    }

    private sealed record BackendTest(OnnxModel Model, TensorProto[] Inputs, TensorProto?[] Outputs);

    private static BackendTest? Load(string dir)
    {
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
        }
        catch (OnnxFormatException)
        {
            return null;
        }
        var data = Path.Combine(dir, "test_data_set_0");
        var inputs = Directory.GetFiles(data, "input_*.pb").Order(StringComparer.Ordinal).Select(Read).ToArray();
        // A graph output declared as a sequence, map or optional has no tensor type: not comparable here.
        var outputs = model.Graph.Outputs.Select((o, i) => o.Type is null ? null : Read(Path.Combine(data, $"output_{i}.pb"))).ToArray();
        return model.Graph.RuntimeInputs.Any(i => i.Type is null) ? null : new BackendTest(model, inputs, outputs);
    }

    private static TensorProto Read(string path) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));

    private static void MakeSmallInputsConstant(BackendTest test)
    {
        var runtimeInputs = test.Model.Graph.RuntimeInputs.ToArray();
        for (var i = 0; i < runtimeInputs.Length && i < test.Inputs.Length; i++)
        {
            var tensor = test.Inputs[i];
            if (TensorData.ElementCount(tensor) <= ConstantInputLimit && (TensorDataType)tensor.DataType != TensorDataType.String)
            {
                tensor.Name = runtimeInputs[i].Name;
                test.Model.Graph.AddInitializer(tensor);
            }
        }
    }

    /// <summary>Compares every graph output; returns true when all match exactly.</summary>
    private static bool Compare(string name, BackendTest test, bool requireExact, List<string> mismatches, List<string> unresolved)
    {
        var allExact = true;
        for (var i = 0; i < test.Outputs.Length; i++)
        {
            var expected = test.Outputs[i]!;
            var actual = test.Model.Graph.Outputs[i].Type;
            var expectedType = new TensorType((TensorDataType)expected.DataType, TensorShape.Of([.. expected.Dims]));
            if (actual is { Shape: null } && !requireExact && SameElementType(actual.ElementType, expectedType.ElementType))
            {
                allExact = false;
                continue;
            }
            if (actual?.Shape is not { } shape || !SameElementType(actual.ElementType, expectedType.ElementType) || shape.Rank != expected.Dims.Count
                || shape.Where((d, k) => d.IsKnown && d.KnownValue != expected.Dims[k]).Any())
            {
                mismatches.Add($"{name}: output {i} inferred {actual?.ToString() ?? "unknown"}, expected {expectedType}");
                allExact = false;
            }
            else if (!shape.IsStatic)
            {
                allExact = false;
                if (requireExact)
                {
                    unresolved.Add($"{name}[{i}]={shape}");
                }
            }
        }
        return allExact;
    }

    /// <summary>The reference data stores bfloat16 results as uint16 bit patterns (numpy has no bfloat16).</summary>
    private static bool SameElementType(TensorDataType inferred, TensorDataType expected) =>
        inferred == expected || (inferred == TensorDataType.BFloat16 && expected == TensorDataType.UInt16);

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
