using Silica.Hardware;
using Silica.Onnx;
using Silica.Runtime.Backends;

namespace Silica.Cli;

/// <summary>
/// Runs a command body and turns failures into one line on stderr and an exit code: 2 for user mistakes
/// (bad files, flags, models), 1 for internal failures. Stack traces are never shown to the user.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUserError(e))
        {
            await Console.Error.WriteLineAsync($"silica: {OneLine(e.Message)}").ConfigureAwait(false);
            return SilicaCommand.UsageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("silica: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"silica: internal error: {OneLine(e.Message)}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("SILICA_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }
            return 1;
        }
    }

    public static int Run(Func<int> body) =>
        RunAsync(_ => Task.FromResult(body()), CancellationToken.None).GetAwaiter().GetResult();

    private static bool IsUserError(Exception e) => e is UsageException or OnnxFormatException or ArgumentException
        or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
        or BackendNotAvailableException or ModelLoadException or CatalogException;

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length > 500 ? line[..500] + "…" : line;
    }
}
