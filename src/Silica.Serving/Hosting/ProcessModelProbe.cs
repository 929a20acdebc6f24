using System.Diagnostics;
using Silica.Onnx.Graph;
using Silica.Runtime.Backends;

namespace Silica.Serving.Hosting;

/// <summary>
/// Opens an untrusted model file in a short-lived child process before the server loads it (RELIABILITY row 27): a
/// model that crashes the native runtime kills only the child, and the server marks the model FAILED with the reason.
/// The child is <paramref name="executable"/> with <paramref name="arguments"/>, then the model path, <c>--backend</c> and the
/// backend name; it must exit 0 when the model loads and otherwise print one line on stderr and exit non-zero
/// (<c>silica probe-model</c> does this).
/// </summary>
/// <param name="executable">The program to run.</param>
/// <param name="arguments">Arguments before the model path.</param>
/// <param name="timeout">How long the child may take before it is killed and the model refused.</param>
public sealed class ProcessModelProbe(string executable, IReadOnlyList<string> arguments, TimeSpan timeout) : IModelProbe
{
    /// <inheritdoc />
    public void Probe(string modelName, string? modelPath, OnnxModel model, string backend)
    {
        if (modelPath is null)
        {
            // Built in memory by Silica itself (zoo models): nothing untrusted to probe.
            return;
        }
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        info.ArgumentList.Add(modelPath);
        info.ArgumentList.Add("--backend");
        info.ArgumentList.Add(backend);
        using var child = Process.Start(info) ?? throw new ModelLoadException($"model '{modelName}': the probe process did not start");
        var stderr = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            throw new ModelLoadException($"model '{modelName}': the probe process did not finish loading it within {timeout.TotalSeconds:0} s");
        }
        if (child.ExitCode == 0)
        {
            return;
        }
        var line = stderr.Wait(TimeSpan.FromSeconds(5)) ? FirstLine(stderr.Result) : "";
        // Exit codes above 128 are a signal (134 abort, 139 segmentation fault): the runtime crashed, not refused.
        var what = child.ExitCode > 128
            ? $"the probe process crashed loading it (signal {child.ExitCode - 128})"
            : line.Length > 0 ? line : $"the probe process failed with exit code {child.ExitCode}";
        throw new ModelLoadException($"model '{modelName}': {what}");
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        if (line.StartsWith("silica: ", StringComparison.Ordinal))
        {
            line = line["silica: ".Length..];
        }
        return line.Length > 300 ? line[..300] : line;
    }
}
