using Silica.Benchmarking.Inference;

namespace Silica.Cli.Commands.Bench;

/// <summary>Writes bench reports atomically (temporary file, then rename).</summary>
internal static class BenchJson
{
    public static void Write(BenchReport report, string path) => AtomicFile.WriteAllText(path, BenchReportJson.Serialize(report));
}
