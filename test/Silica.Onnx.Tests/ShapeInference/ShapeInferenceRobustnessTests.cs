using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;
using Silica.Tests;

namespace Silica.Onnx.Tests.ShapeInference;

/// <summary>Broken or unusual models give diagnostics, never exceptions: every backend model is altered on purpose and inferred.</summary>
public sealed class ShapeInferenceRobustnessTests
{
    public static TheoryData<string> Damages() => new("no attributes", "rank-1 inputs", "scalar inputs", "symbolic inputs", "missing last input");

    [Theory]
    [MemberData(nameof(Damages))]
    public void Infer_DamagedBackendModels_NeverThrows(string damage)
    {
        var crashes = new List<string>();
        var diagnosed = 0;
        foreach (var dir in Directory.GetDirectories(Path.Combine(TestData.OnnxBackendData, "node")).Order(StringComparer.Ordinal))
        {
            OnnxModel model;
            try
            {
                model = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
            }
            catch (OnnxFormatException)
            {
                continue;
            }
            Damage(model.Graph, damage);
            try
            {
                diagnosed += ShapeInferencer.Infer(model).Diagnostics.Count > 0 ? 1 : 0;
            }
            catch (Exception e)
            {
                crashes.Add($"{Path.GetFileName(dir)}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(crashes.Count == 0, string.Join("\n", crashes));
        // Symbolic inputs are valid, not damage: there only the absence of crashes is checked.
        Assert.True(damage == "symbolic inputs" || diagnosed > 100, $"only {diagnosed} damaged models were diagnosed");
    }

    private static void Damage(OnnxGraph graph, string damage)
    {
        foreach (var input in graph.RuntimeInputs)
        {
            if (input.Type is not { } t)
            {
                continue;
            }
            input.Type = damage switch
            {
                "rank-1 inputs" => t with { Shape = TensorShape.Of(3) },
                "scalar inputs" => t with { Shape = TensorShape.Scalar },
                "symbolic inputs" => t with { Shape = t.Shape is null ? null : new TensorShape(t.Shape.Select((_, i) => Dim.Named($"s{i}"))) },
                _ => t,
            };
        }
        foreach (var node in graph.Nodes.ToArray())
        {
            if (damage == "no attributes")
            {
                foreach (var name in node.Attributes.Select(a => a.Name).ToArray())
                {
                    node.Attributes.Remove(name);
                }
            }
            else if (damage == "missing last input" && node.Inputs.Count > 0)
            {
                graph.ReplaceInput(node, node.Inputs.Count - 1, null);
            }
        }
    }
}
