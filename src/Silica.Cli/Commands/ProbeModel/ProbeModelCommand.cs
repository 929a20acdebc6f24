using System.CommandLine;
using Silica.Runtime.Backends;

namespace Silica.Cli.Commands.ProbeModel;

/// <summary>
/// `silica probe-model FILE --backend B` (hidden): loads a model file with a backend and exits 0, or prints one line
/// and exits 2. `silica serve` runs it as a short-lived child before trusting a repository model, so a model that
/// crashes the native runtime takes down only this process.
/// </summary>
internal static class ProbeModelCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("model") { Description = "The .onnx file to load" };
        var backend = new Option<string>("--backend") { Description = "Backend to load it with", DefaultValueFactory = _ => "cpu" };
        var command = new Command("probe-model", "Load a model file in this process and exit (used by serve)") { path, backend };
        command.Hidden = true;
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var file = parse.GetValue(path)!;
            if (!File.Exists(file))
            {
                throw new UsageException($"model file not found: {file}");
            }
            try
            {
                using var session = BackendRegistry.Default.Get(parse.GetValue(backend)!).CreateSession(file);
            }
            catch (Exception e) when (e is ModelLoadException or BackendNotAvailableException)
            {
                throw new UsageException(e.Message);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The probe that runs this command as a child of the current process.</summary>
    public static Serving.Hosting.ProcessModelProbe ForThisProcess()
    {
        var exe = Environment.ProcessPath ?? "silica";
        // Run as `dotnet silica.dll`: the child needs the same assembly after the host.
        List<string> args = Path.GetFileNameWithoutExtension(exe) == "dotnet"
            ? [typeof(ProbeModelCommand).Assembly.Location, "probe-model"]
            : ["probe-model"];
        return new Serving.Hosting.ProcessModelProbe(exe, args, TimeSpan.FromSeconds(60));
    }
}
