using System.Text.Json;
using System.Text.Json.Serialization;

namespace Silica.Benchmarking.Inference;

/// <summary>Reads and writes <see cref="BenchReport"/> as JSON (camelCase, versioned).</summary>
public static class BenchReportJson
{
    /// <summary>The report as indented JSON.</summary>
    public static string Serialize(BenchReport report) => JsonSerializer.Serialize(report, BenchReportJsonContext.Default.BenchReport);

    /// <summary>Parses a report, rejecting unknown schema versions with a clear message.</summary>
    /// <exception cref="FormatException">The text is not a bench report this build can read.</exception>
    public static BenchReport Deserialize(string json)
    {
        int version;
        try
        {
            using var doc = JsonDocument.Parse(json);
            version = doc.RootElement.TryGetProperty("schemaVersion", out var v) && v.TryGetInt32(out var n) ? n : 0;
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a bench report: {e.Message}", e);
        }
        if (version != BenchReport.CurrentSchemaVersion)
        {
            throw new FormatException($"bench report schema version {version} is not supported (this build reads {BenchReport.CurrentSchemaVersion})");
        }
        try
        {
            return JsonSerializer.Deserialize(json, BenchReportJsonContext.Default.BenchReport)
                ?? throw new FormatException("not a bench report: empty document");
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a bench report: {e.Message}", e);
        }
    }
}

/// <summary>Source-generated JSON metadata for bench reports.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchReportJsonContext : JsonSerializerContext;
