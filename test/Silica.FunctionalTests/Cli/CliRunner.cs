using System.Diagnostics;

namespace Silica.FunctionalTests.Cli;

/// <summary>Runs the real <c>silica</c> executable (built beside the tests) as a user would, capturing its output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "silica.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>The CLI's contract for user mistakes: exit code 2 and exactly one "silica: ..." line, no stack trace.</summary>
    public static void AssertOneLineError(Result r)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("silica: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.StdErr, StringComparison.Ordinal);
    }
}
