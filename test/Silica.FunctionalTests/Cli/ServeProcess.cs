using System.Diagnostics;

namespace Silica.FunctionalTests.Cli;

/// <summary>A real <c>silica serve</c> child process, and the URLs it prints on standard output.</summary>
internal static class ServeProcess
{
    /// <summary>Starts <c>silica</c> with <paramref name="args"/>; standard error is drained so the server never blocks on it.</summary>
    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "silica.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>Reads standard output up to the line starting with <paramref name="label"/> (REST, gRPC, OpenAI) and returns its URL.</summary>
    public static async Task<string> ReadUrlAsync(Process process, string label)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(label, StringComparison.Ordinal))
            {
                return line[label.Length..].Trim().TrimEnd('/');
            }
        }
        throw new InvalidOperationException($"silica serve exited ({process.ExitCode}) before printing its {label} URL");
    }

    /// <summary>Sends SIGTERM, as a container runtime does on shutdown.</summary>
    public static async Task SigtermAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills the process and its children if a test left it running (after a failed assertion).</summary>
    public static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits (at most a minute) for the process to exit after SIGTERM and asserts it drained cleanly (exit code 0).</summary>
    public static async Task AssertExitsCleanlyAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
    }
}
