using System.Text.Json.Serialization;

namespace Silica.Benchmarking.Results;

/// <summary>Source-generated JSON metadata for the results schema: camelCase names, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchmarkResult))]
[JsonSerializable(typeof(BatchLatencyCurve))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
