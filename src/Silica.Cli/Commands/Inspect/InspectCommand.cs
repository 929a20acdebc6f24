using System.CommandLine;
using System.Text.Json;
using Silica.Onnx.Analysis;
using Silica.Onnx.Zoo;

namespace Silica.Cli.Commands.Inspect;

/// <summary><c>silica inspect &lt;model.onnx | zoo:name&gt;</c>: interface, operator mix and static cost of a model.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "An .onnx file or a built-in model (zoo:resnet50, zoo:bert-base, ...)" };
        var bind = new Option<string?>("--bind") { Description = "Bind symbolic dimensions, e.g. batch=8,seq=128 (zoo models default to batch=1, seq=128)" };
        var perNode = new Option<bool>("--per-node") { Description = "List every node with its output shape and cost" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of tables" };
        var command = new Command("inspect", "Show a model's inputs, outputs, operators, parameters, FLOPs and bytes (counted from the graph)")
        {
            model, bind, perNode, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = parse.GetValue(model)!;
            var bindings = Bindings.Parse(parse.GetValue(bind));
            var summary = Inspect(spec, bindings);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(InspectJson.From(summary, parse.GetValue(perNode)), InspectJsonContext.Default.InspectJson));
            }
            else
            {
                InspectPrinter.Print(summary, parse.GetValue(perNode));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Opens the model (weightless for zoo models: analysis needs no data) and summarizes it.</summary>
    public static ModelSummary Inspect(string spec, IReadOnlyDictionary<string, long> bindings)
    {
        var model = ModelSource.Open(spec, withWeights: false);
        var effective = new Dictionary<string, long>(bindings);
        if (ModelSource.IsZoo(spec))
        {
            var info = ModelZoo.Find(spec[ModelSource.ZooPrefix.Length..]);
            foreach (var (k, v) in info?.DefaultBindings ?? new Dictionary<string, long>())
            {
                effective.TryAdd(k, v);
            }
        }
        var name = ModelSource.IsZoo(spec) ? spec : Path.GetFileName(spec);
        return ModelSummary.Create(model, name, effective);
    }
}
