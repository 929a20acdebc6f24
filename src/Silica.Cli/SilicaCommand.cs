using System.CommandLine;
using Silica.Cli.Commands.Bench;
using Silica.Cli.Commands.Catalog;
using Silica.Cli.Commands.Compare;
using Silica.Cli.Commands.GpuCheck;
using Silica.Cli.Commands.Inspect;
using Silica.Cli.Commands.Predict;
using Silica.Cli.Commands.Serve;
using Silica.Cli.Commands.Simulate;
using Silica.Cli.Commands.Validate;
using Spectre.Console;

namespace Silica.Cli;

/// <summary>The root <c>silica</c> command; each verb lives in its own folder under Commands.</summary>
internal static class SilicaCommand
{
    /// <summary>Exit code for a user mistake (bad file, bad flag).</summary>
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        var root = new RootCommand("Silica: which silicon should run this AI model, how, and at what cost.");
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(GpuCheckCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(Commands.ProbeModel.ProbeModelCommand.Create());
        root.Subcommands.Add(Commands.Optimize.OptimizeCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Piped output has no terminal width; keep tables on one line per row instead of wrapping at 80.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
        }
        var root = Create();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line naming the problem, not the parser's page of help.
            await Console.Error.WriteLineAsync($"silica: {parse.Errors[0].Message} (see 'silica --help')").ConfigureAwait(false);
            return UsageError;
        }
        var invocation = new InvocationConfiguration();
        if (parse.CommandResult.Command.Name == "serve")
        {
            // The server's host handles SIGTERM and Ctrl-C itself and drains for as long as its options say; the
            // parser's own handler would end the process after its 2 s grace, cutting a longer drain short.
            invocation.ProcessTerminationTimeout = null;
        }
        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
