using System.CommandLine;
using Silica.Hardware;

namespace Silica.Cli.Commands.Catalog;

/// <summary><c>silica catalog [id] [--catalog my.json]... [--validate] [--json]</c>: the hardware catalog with sources.</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "Show every figure of one device or instance with its source and date", Arity = ArgumentArity.ZeroOrOne };
        var files = new Option<string[]>("--catalog")
        {
            Description = "A user catalog file adding or overriding devices and instances, or defining what-if entries (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var validate = new Option<bool>("--validate") { Description = "Print problems (missing sources, sparse-looking peaks, ...) and exit 2 if there are any" };
        var json = new Option<bool>("--json") { Description = "Print the catalog as JSON instead of tables" };
        var command = new Command("catalog", "List the hardware catalog: devices (dense peaks, memory, bandwidth, power) and instances (price per hour), each figure with its source and date")
        {
            id, files, validate, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var catalog = CatalogLoader.LoadWithOverrides(parse.GetValue(files) ?? []);
            if (parse.GetValue(validate))
            {
                var problems = CatalogValidator.Validate(catalog);
                foreach (var p in problems)
                {
                    Console.Out.WriteLine(p.ToString());
                }
                Console.Error.WriteLine(problems.Count == 0 ? "catalog: no problems" : $"catalog: {problems.Count} problem(s)");
                return problems.Count == 0 ? 0 : SilicaCommand.UsageError;
            }
            var one = parse.GetValue(id);
            if (one is not null && catalog.FindDevice(one) is null && catalog.FindInstance(one) is null)
            {
                throw new UsageException($"no device or instance '{one}' in the catalog (see 'silica catalog')");
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(CatalogJson.Write(catalog, one));
            }
            else if (one is not null)
            {
                CatalogPrinter.PrintEntry(catalog, one);
            }
            else
            {
                CatalogPrinter.Print(catalog);
            }
            return 0;
        }));
        return command;
    }
}
