using System.Text.Json;
using System.Text.Json.Serialization;

namespace Silica.Advisor.Results;

/// <summary>Reads and writes <c>results.json</c>.</summary>
public static class CompareResultsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A band with no upper end (the slow end of a prediction misses the SLO at any load) is written as "Infinity".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The document as indented JSON.</summary>
    public static string Write(CompareResults results) => JsonSerializer.Serialize(results, Options);

    /// <summary>Parses a document written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The text is not a results document of a known version.</exception>
    public static CompareResults Read(string json)
    {
        CompareResults? results;
        try
        {
            results = JsonSerializer.Deserialize<CompareResults>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a silica compare results document: {e.Message}", e);
        }
        if (results is null || results.SchemaVersion != 1)
        {
            throw new FormatException($"results document has schema version {results?.SchemaVersion}; this silica reads version 1");
        }
        return results;
    }
}
