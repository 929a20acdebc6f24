using System.Text.Json;
using System.Text.Json.Serialization;

namespace Silica.Benchmarking.Llm;

/// <summary>Reads and writes <see cref="LlmBenchReport"/> as JSON (camelCase, versioned).</summary>
public static class LlmBenchReportJson
{
    /// <summary>The report as indented JSON.</summary>
    public static string Serialize(LlmBenchReport report) => JsonSerializer.Serialize(report, LlmJsonContext.Default.LlmBenchReport);

    /// <summary>Parses a report, rejecting other schema versions and kinds with a clear message.</summary>
    /// <exception cref="FormatException">The text is not an LLM bench report this build can read.</exception>
    public static LlmBenchReport Deserialize(string json)
    {
        try
        {
            using (var doc = JsonDocument.Parse(json))
            {
                var root = doc.RootElement;
                var version = root.TryGetProperty("schemaVersion", out var v) && v.TryGetInt32(out var n) ? n : 0;
                if (version != LlmBenchReport.CurrentSchemaVersion || !root.TryGetProperty("kind", out var kind) || kind.GetString() != "llm")
                {
                    throw new FormatException($"not an LLM bench report of schema version {LlmBenchReport.CurrentSchemaVersion} (schemaVersion {version})");
                }
            }
            return JsonSerializer.Deserialize(json, LlmJsonContext.Default.LlmBenchReport) ?? throw new FormatException("not an LLM bench report: empty document");
        }
        catch (JsonException e)
        {
            throw new FormatException($"not an LLM bench report: {e.Message}", e);
        }
    }
}

/// <summary>Source-generated JSON metadata for LLM bench reports and request bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LlmBenchReport))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, bool>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class LlmJsonContext : JsonSerializerContext;
