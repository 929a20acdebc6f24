using System.Text.Json.Serialization;
using Silica.Onnx.Analysis;

namespace Silica.Cli.Commands.Inspect;

/// <summary>The JSON form of an inspect report (stable field names for scripts).</summary>
internal sealed record InspectJson(
    int SchemaVersion,
    string Model,
    long IrVersion,
    long Opset,
    bool Weightless,
    string Basis,
    IReadOnlyDictionary<string, long> Bindings,
    IReadOnlyList<string> UnboundDimensions,
    IReadOnlyList<TensorSummary> Inputs,
    IReadOnlyList<TensorSummary> Outputs,
    IReadOnlyDictionary<string, int> Ops,
    InspectTotalsJson Totals,
    IReadOnlyList<InspectNodeJson>? Nodes,
    IReadOnlyList<string> Warnings)
{
    public static InspectJson From(ModelSummary s, bool perNode)
    {
        var c = s.Cost;
        return new InspectJson(
            1,
            s.Name,
            s.IrVersion,
            s.Opset,
            s.Weightless,
            "static count from the ONNX graph (not measured)",
            s.Bindings,
            s.UnboundDimensions,
            s.Inputs,
            s.Outputs,
            s.OpHistogram.ToDictionary(kv => kv.Key, kv => kv.Value),
            new InspectTotalsJson(c.Nodes.Count, c.ParameterCount, c.ParameterBytes, c.Flops, c.Macs, c.BytesRead, c.BytesWritten, c.ArithmeticIntensity, c.UnknownNodes),
            perNode ? [.. c.Nodes.Select(n => new InspectNodeJson(n.NodeName, n.OpType, n.OpClass.ToString(), n.IsKnown, n.Flops, n.BytesRead, n.BytesWritten, n.ParameterCount, n.IsKnown && n.BytesRead + n.BytesWritten > 0 ? n.ArithmeticIntensity : 0))] : null,
            [.. s.Diagnostics.Select(d => d.Message)]);
    }
}

/// <summary>Model totals in the JSON report.</summary>
internal sealed record InspectTotalsJson(int Nodes, long Parameters, long ParameterBytes, double Flops, double Macs, long BytesRead, long BytesWritten, double ArithmeticIntensity, int UnknownNodes);

/// <summary>One node in the JSON report.</summary>
internal sealed record InspectNodeJson(string Name, string Op, string OpClass, bool Known, double Flops, long BytesRead, long BytesWritten, long Parameters, double ArithmeticIntensity);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InspectJson))]
internal sealed partial class InspectJsonContext : JsonSerializerContext;
