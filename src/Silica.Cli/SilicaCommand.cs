using System.CommandLine;

namespace Silica.Cli;

/// <summary>The root <c>silica</c> command; each verb lives in its own folder under Commands.</summary>
internal static class SilicaCommand
{
    /// <summary>Exit code for a user mistake (bad file, bad flag).</summary>
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        var root = new RootCommand("Silica: which silicon should run this AI model, how, and at what cost.");
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Create();
        var parse = root.Parse(args);
        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
