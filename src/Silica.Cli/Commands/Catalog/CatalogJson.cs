using System.Text;
using System.Text.Json;
using Silica.Hardware;

namespace Silica.Cli.Commands.Catalog;

/// <summary>Writes the loaded catalog (after user files) as JSON, every figure with value, source, date and note.</summary>
internal static class CatalogJson
{
    public static string Write(Hardware.Catalog catalog, string? onlyId)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 1);
            w.WriteStartArray("devices");
            foreach (var d in catalog.Devices.Where(d => onlyId is null || string.Equals(d.Id, onlyId, StringComparison.OrdinalIgnoreCase)))
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("name", d.Name);
                w.WriteString("class", d.Class.ToString().ToLowerInvariant());
                w.WriteString("unit", d.Unit);
                w.WriteBoolean("hypothetical", d.Hypothetical);
                WriteOptional(w, "basedOn", d.BasedOn);
                WriteOptional(w, "interconnect", d.Interconnect?.Name);
                WriteOptional(w, "note", d.Note);
                WriteFigures(w, d.Figures());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("instances");
            foreach (var i in catalog.Instances.Where(i => onlyId is null || string.Equals(i.Id, onlyId, StringComparison.OrdinalIgnoreCase)))
            {
                w.WriteStartObject();
                w.WriteString("id", i.Id);
                w.WriteString("kind", i.Kind.ToString().ToLowerInvariant());
                w.WriteString("provider", i.Provider);
                WriteOptional(w, "region", i.Region);
                w.WriteString("device", i.DeviceId);
                w.WriteNumber("deviceCount", i.DeviceCount);
                w.WriteNumber("vcpus", i.VCpus);
                w.WriteBoolean("hypothetical", i.Hypothetical);
                WriteOptional(w, "basedOn", i.BasedOn);
                WriteOptional(w, "note", i.Note);
                WriteFigures(w, i.Figures());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteFigures(Utf8JsonWriter w, IEnumerable<(string Name, SourcedValue Value)> figures)
    {
        w.WriteStartObject("figures");
        foreach (var (name, f) in figures)
        {
            w.WriteStartObject(name);
            w.WriteNumber("value", f.Value);
            WriteOptional(w, "source", f.Source);
            WriteOptional(w, "date", f.Date);
            WriteOptional(w, "note", f.Note);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
