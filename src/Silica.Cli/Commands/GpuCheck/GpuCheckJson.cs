using System.Text.Json;
using System.Text.Json.Serialization;
using Silica.Runtime.Conformance;

namespace Silica.Cli.Commands.GpuCheck;

/// <summary>The <c>--json</c> file: the report in plain fields (non-finite errors as null, so any JSON reader takes it).</summary>
internal static class GpuCheckJson
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep ≤ and ≥ readable
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(GpuCheckReport report, string path) => AtomicFile.WriteAllText(path, Serialize(report));

    public static string Serialize(GpuCheckReport r) => JsonSerializer.Serialize(new
    {
        schemaVersion = SchemaVersion,
        backend = r.Backend,
        device = r.Device,
        reference = r.Reference,
        batch = r.Batch,
        seq = r.Seq,
        seed = r.Seed,
        passed = r.AllPassed,
        models = r.Models.Select(m => new
        {
            model = m.Model,
            precision = m.Precision,
            status = m.Status.ToString().ToLowerInvariant(),
            maxRelativeError = Finite(m.PeakRelativeError),
            cosine = Finite(m.Cosine),
            criterion = m.Criterion,
            milliseconds = m.Milliseconds,
            note = m.Note,
        }),
        nodeTests = r.NodeTests.Select(n => new
        {
            precision = n.AllowTf32 ? "tf32" : n.Precision.ToString().ToLowerInvariant(),
            rtol = n.Tolerances.Relative,
            atol = n.Tolerances.Absolute,
            passed = n.Passed,
            failed = n.Failed,
            skipped = n.Skipped,
            coverage = n.Coverage.Select(c => new { op = c.OpType, c.Passed, c.Failed, c.Skipped }),
            tests = n.Results.Select(t => new
            {
                name = t.Name,
                op = t.OpType,
                outcome = t.Outcome.ToString().ToLowerInvariant(),
                maxAbsoluteError = t.Comparison is null ? null : Finite(t.MaxAbsoluteError),
                maxRelativeError = t.Comparison is null ? null : Finite(t.MaxRelativeError),
                reason = t.Reason,
            }),
        }),
    }, Options);

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
