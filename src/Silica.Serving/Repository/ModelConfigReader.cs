using System.Text.Json;
using System.Text.Json.Serialization;

namespace Silica.Serving.Repository;

/// <summary>Reads <c>config.json</c> strictly: no comments, no trailing commas, no unknown fields, no numbers as strings.</summary>
internal static class ModelConfigReader
{
    // A config is a few hundred bytes; anything near this is not a config.
    private const long MaxConfigBytes = 1 << 20;

    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 8,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <exception cref="ModelConfigException">The file cannot be read or is not a valid configuration.</exception>
    public static ModelConfig ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxConfigBytes)
            {
                throw new ModelConfigException($"{ModelRepository.ConfigFileName} is {info.Length} bytes, over the {MaxConfigBytes}-byte limit");
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelConfigException($"cannot read {ModelRepository.ConfigFileName}: {e.Message}", e);
        }
        return Parse(bytes);
    }

    /// <exception cref="ModelConfigException">The bytes are not a valid configuration.</exception>
    public static ModelConfig Parse(ReadOnlySpan<byte> json)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(json, Strict);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"{ModelRepository.ConfigFileName}: {Describe(e)}", e);
        }
        return config ?? throw new ModelConfigException($"{ModelRepository.ConfigFileName}: expected an object, got null");
    }

    // System.Text.Json names .NET types in its messages; say what the file got wrong in the file's own terms.
    private static string Describe(JsonException e)
    {
        var where = e.Path is { Length: > 0 } p ? $" at {p}" : "";
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            var field = end > start ? message[(start + 1)..end] : "?";
            return $"unknown field '{field}'{line}; known fields: backend, max_batch_size, preferred_batch_size, max_queue_delay_microseconds, max_queue_size, queue_timeout_microseconds, instance_count, input, output (inputs and outputs: name, datatype, dims)";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"wrong type of value{where}{line}";
        }
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return $"an input or output entry lacks 'name'{where}{line}";
        }
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.Ordinal))
        {
            return $"null is not allowed{where}{line}";
        }
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message) + where + line;
    }
}
