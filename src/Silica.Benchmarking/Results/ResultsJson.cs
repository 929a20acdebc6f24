using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Silica.Benchmarking.Results;

/// <summary>
/// Reads and writes results JSON. Readers check <c>schemaVersion</c> first and reject versions this
/// build does not know, so an old Silica never misreads a newer file.
/// </summary>
public static class ResultsJson
{
    /// <summary>Serializes a benchmark result (camelCase, indented).</summary>
    /// <param name="result">The result.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(BenchmarkResult result) => JsonSerializer.Serialize(result, ResultsJsonContext.Default.BenchmarkResult);

    /// <summary>Serializes a batch-latency curve (camelCase, indented).</summary>
    /// <param name="curve">The curve.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(BatchLatencyCurve curve) => JsonSerializer.Serialize(curve, ResultsJsonContext.Default.BatchLatencyCurve);

    /// <summary>Reads a benchmark result.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidDataException">The text is not a result of a supported schema version.</exception>
    public static BenchmarkResult DeserializeResult(string json) => Deserialize(json, ResultsJsonContext.Default.BenchmarkResult, "benchmark result");

    /// <summary>Reads a batch-latency curve.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The curve.</returns>
    /// <exception cref="InvalidDataException">The text is not a curve of a supported schema version.</exception>
    public static BatchLatencyCurve DeserializeCurve(string json) => Deserialize(json, ResultsJsonContext.Default.BatchLatencyCurve, "batch-latency curve");

    private static T Deserialize<T>(string json, JsonTypeInfo<T> typeInfo, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            CheckSchemaVersion(json, what);
            return JsonSerializer.Deserialize(json, typeInfo)
                ?? throw new InvalidDataException($"The {what} JSON is null.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"The {what} JSON is malformed: {error.Message}", error);
        }
    }

    private static void CheckSchemaVersion(string json, string what)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("schemaVersion", out var version)
            || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var number))
        {
            throw new InvalidDataException($"The {what} JSON has no integer 'schemaVersion'; it was not written by Silica.");
        }

        if (number != BenchmarkResult.CurrentSchemaVersion)
        {
            throw new InvalidDataException(
                $"The {what} JSON has schemaVersion {number}, but this Silica reads only schemaVersion {BenchmarkResult.CurrentSchemaVersion}; "
                + (number > BenchmarkResult.CurrentSchemaVersion ? "upgrade Silica to read it." : "re-run the benchmark to produce a current file."));
        }
    }
}
