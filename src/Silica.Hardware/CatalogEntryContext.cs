using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Silica.Hardware;

/// <summary>
/// Reads one catalog entry (a device or an instance object) with the file and id at hand, so every failure is one
/// line naming both. Figures resolve their source against the file's <c>sources</c> table or the entry's own source.
/// </summary>
internal sealed class CatalogEntryContext
{
    private readonly string _file;
    private readonly string _what;
    private readonly IReadOnlyDictionary<string, CatalogSource> _sources;

    public CatalogEntryContext(string file, string what, string id, JsonObject entry, IReadOnlyDictionary<string, CatalogSource> sources)
    {
        _file = file;
        _what = what;
        Id = id;
        Entry = entry;
        _sources = sources;
        (DefaultSource, DefaultDate) = ResolveSource(entry["source"], entry["date"], "source");
    }

    public string Id { get; }

    public JsonObject Entry { get; }

    /// <summary>The entry's own source text, used for figures given as bare numbers.</summary>
    public string? DefaultSource { get; }

    /// <summary>The entry's date (or its source's), used for figures given as bare numbers.</summary>
    public string? DefaultDate { get; }

    public bool Has(string field) => Entry.ContainsKey(field);

    public CatalogException Fail(string problem) => new($"{_file}: {_what} '{Id}': {problem}");

    public void RejectUnknownFields(IReadOnlySet<string> known)
    {
        foreach (var (key, _) in Entry)
        {
            if (!known.Contains(key))
            {
                throw Fail($"unknown field '{key}' (expected one of: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    public string? String(string field) => String(Entry, field);

    public string? String(JsonObject obj, string field) => obj[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Fail($"'{field}' must be a string; got {Kind(other)}"),
    };

    public bool? Bool(string field) => Entry[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        var other => throw Fail($"'{field}' must be true or false; got {Kind(other)}"),
    };

    public double? Number(JsonObject obj, string field) => obj[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Positive(field, v.GetValue<double>()),
        var other => throw Fail($"'{field}' must be a number; got {Kind(other)}"),
    };

    public int? PositiveInt(string field)
    {
        var value = Number(Entry, field);
        if (value is null)
        {
            return null;
        }
        if (value != Math.Floor(value.Value) || value > int.MaxValue)
        {
            throw Fail($"'{field}' must be a whole number; got {value.Value.ToString(CultureInfo.InvariantCulture)}");
        }
        return (int)value.Value;
    }

    public JsonObject? Object(string field) => Object(Entry, field);

    public JsonObject? Object(JsonObject obj, string field) => obj[field] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw Fail($"'{field}' must be an object; got {Kind(other)}"),
    };

    /// <summary>
    /// A figure: a bare number (takes the entry's source and date), null (unsupported or unknown), or
    /// <c>{ "value": n, "source": ..., "date": ..., "note": ... }</c>. Zero and negative values are rejected.
    /// </summary>
    public SourcedValue? Figure(JsonObject obj, string field, string? path = null)
    {
        var name = path ?? field;
        var node = obj[field];
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                return new SourcedValue(Positive(name, v.GetValue<double>()), DefaultSource, DefaultDate);
            case JsonObject o:
                foreach (var (key, _) in o)
                {
                    if (key is not ("value" or "source" or "date" or "note"))
                    {
                        throw Fail($"'{name}' has unknown field '{key}' (expected value, source, date, note)");
                    }
                }
                var value = Number(o, "value");
                if (value is null)
                {
                    return null;
                }
                var (source, date) = o.ContainsKey("source") ? ResolveSource(o["source"], o["date"], name + ".source")
                    : (DefaultSource, String(o, "date") ?? DefaultDate);
                return new SourcedValue(value.Value, source, date, String(o, "note"));
            default:
                throw Fail($"'{name}' must be a number, null or {{value, source, date, note}}; got {Kind(node)}");
        }
    }

    private (string? Source, string? Date) ResolveSource(JsonNode? sourceNode, JsonNode? dateNode, string field)
    {
        var date = dateNode switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw Fail($"'{field}' date must be a string YYYY-MM; got {Kind(other)}"),
        };
        var source = sourceNode switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw Fail($"'{field}' must be a string; got {Kind(other)}"),
        };
        if (source is not null && _sources.TryGetValue(source, out var known))
        {
            return (known.Describe(), date ?? known.Date);
        }
        return (source, date);
    }

    private double Positive(string field, double value) => value > 0 && double.IsFinite(value) ? value
        : throw Fail($"'{field}' must be positive; got {value.ToString(CultureInfo.InvariantCulture)}");

    internal static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        },
        _ => "an unknown value",
    };
}
