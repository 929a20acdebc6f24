using System.Text.Json;
using System.Text.Json.Nodes;

namespace Silica.Hardware;

/// <summary>
/// Applies catalog files in order: the first defines the catalog, later ones add entries, override entries by id
/// (only the fields they give) or derive what-if entries with <c>basedOn</c> from anything defined before.
/// </summary>
internal sealed class CatalogBuilder
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly HashSet<string> TopLevelFields = ["schemaVersion", "comment", "sources", "devices", "instances"];

    private readonly List<DeviceSpec> _devices = [];
    private readonly List<InstanceOffer> _instances = [];
    private readonly Dictionary<string, CatalogSource> _sources = new(StringComparer.Ordinal);

    public void AddFile(string file, string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: JsonOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            throw new CatalogException($"{file}: invalid JSON at line {line}: {reason}", e);
        }
        if (root is not JsonObject top)
        {
            throw new CatalogException($"{file}: the catalog must be a JSON object with 'devices' and/or 'instances'; got {CatalogEntryContext.Kind(root)}");
        }
        foreach (var (key, _) in top)
        {
            if (!TopLevelFields.Contains(key))
            {
                throw new CatalogException($"{file}: unknown top-level field '{key}' (expected sources, devices, instances)");
            }
        }
        ReadSources(file, top["sources"]);
        foreach (var (id, entry) in Entries(file, top, "devices", "device"))
        {
            var c = new CatalogEntryContext(file, "device", id, entry, _sources);
            var index = _devices.FindIndex(d => Same(d.Id, id));
            var spec = DeviceEntryReader.Read(c, index >= 0 ? _devices[index] : null, FindDevice);
            Put(_devices, index, spec);
        }
        foreach (var (id, entry) in Entries(file, top, "instances", "instance"))
        {
            var c = new CatalogEntryContext(file, "instance", id, entry, _sources);
            var index = _instances.FindIndex(i => Same(i.Id, id));
            var offer = InstanceEntryReader.Read(c, index >= 0 ? _instances[index] : null, FindInstance, FindDevice);
            Put(_instances, index, offer);
        }
    }

    public Catalog Build(Func<LocalMachine>? describeLocal = null)
    {
        var devices = new List<DeviceSpec>(_devices);
        var instances = new List<InstanceOffer>(_instances.Count);
        LocalMachine? local = null;
        foreach (var offer in _instances)
        {
            if (offer.Kind != InstanceKind.Local)
            {
                instances.Add(offer);
                continue;
            }
            // The local machine is described once, at load, and only figures the user did not give are filled.
            local ??= (describeLocal ?? LocalMachine.Describe)();
            if (Same(offer.DeviceId, InstanceEntryReader.LocalDeviceId) && !devices.Exists(d => Same(d.Id, offer.DeviceId)))
            {
                devices.Add(local.Device);
            }
            instances.Add(offer with
            {
                DeviceCount = offer.DeviceCount > 1 ? offer.DeviceCount : local.PhysicalCores,
                VCpus = offer.VCpus > 0 ? offer.VCpus : local.LogicalCpus,
                MemoryGiB = offer.MemoryGiB ?? local.MemoryGiB,
            });
        }
        return new Catalog(devices, instances);
    }

    private DeviceSpec? FindDevice(string id) => _devices.Find(d => Same(d.Id, id));

    private InstanceOffer? FindInstance(string id) => _instances.Find(i => Same(i.Id, id));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static void Put<T>(List<T> list, int index, T item)
    {
        if (index >= 0)
        {
            list[index] = item;
        }
        else
        {
            list.Add(item);
        }
    }

    private void ReadSources(string file, JsonNode? node)
    {
        if (node is null)
        {
            return;
        }
        if (node is not JsonObject sources)
        {
            throw new CatalogException($"{file}: 'sources' must be an object of name -> {{title, url, date}}");
        }
        foreach (var (key, value) in sources)
        {
            if (value is not JsonObject s || s["title"] is not JsonValue title || title.GetValueKind() != JsonValueKind.String)
            {
                throw new CatalogException($"{file}: source '{key}': needs at least a string 'title'");
            }
            var url = s["url"] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? u.GetValue<string>() : null;
            var date = s["date"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : null;
            _sources[key] = new CatalogSource(title.GetValue<string>(), url, date);
        }
    }

    private static IEnumerable<(string Id, JsonObject Entry)> Entries(string file, JsonObject top, string field, string what)
    {
        var node = top[field];
        if (node is null)
        {
            yield break;
        }
        if (node is not JsonArray array)
        {
            throw new CatalogException($"{file}: '{field}' must be an array; got {CatalogEntryContext.Kind(node)}");
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject entry)
            {
                throw new CatalogException($"{file}: {field}[{i}]: must be an object; got {CatalogEntryContext.Kind(array[i])}");
            }
            if (entry["id"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String
                || idValue.GetValue<string>() is not { Length: > 0 } id)
            {
                throw new CatalogException($"{file}: {field}[{i}]: missing string 'id'");
            }
            if (!seen.Add(id))
            {
                throw new CatalogException($"{file}: {what} '{id}': duplicate id in this file");
            }
            yield return (id, entry);
        }
    }
}
