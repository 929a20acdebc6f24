using System.Text.Json;
using Silica.Hardware;

namespace Silica.Prediction.Priors;

/// <summary>The efficiency priors per device class, read from the embedded <c>priors.json</c>.</summary>
public sealed class PriorTable
{
    private const string ResourceName = "Silica.Prediction.priors.json";
    private static readonly Lazy<PriorTable> DefaultTable = new(() => Parse(ReadDefaultJson()));
    private readonly Dictionary<DeviceClass, EfficiencyPrior> _priors;

    private PriorTable(Dictionary<DeviceClass, EfficiencyPrior> priors, IReadOnlyDictionary<string, Citation> citations)
    {
        _priors = priors;
        Citations = citations;
    }

    /// <summary>The built-in priors.</summary>
    public static PriorTable Default => DefaultTable.Value;

    /// <summary>The documents the priors cite, by id.</summary>
    public IReadOnlyDictionary<string, Citation> Citations { get; }

    /// <summary>The prior for a device class.</summary>
    /// <exception cref="KeyNotFoundException">The table has no entry for the class (a defect of the data file).</exception>
    public EfficiencyPrior For(DeviceClass deviceClass) =>
        _priors.TryGetValue(deviceClass, out var prior)
            ? prior
            : throw new KeyNotFoundException($"priors.json has no entry for device class '{deviceClass}'");

    /// <summary>Parses a priors document (the shape of the embedded <c>priors.json</c>).</summary>
    /// <exception cref="FormatException">A class, key or value is missing or out of range; the message names it.</exception>
    public static PriorTable Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var priors = new Dictionary<DeviceClass, EfficiencyPrior>();
        foreach (var cls in Required(root, "classes", "priors").EnumerateObject())
        {
            if (!Enum.TryParse<DeviceClass>(cls.Name, ignoreCase: true, out var deviceClass))
            {
                throw new FormatException($"priors: unknown device class '{cls.Name}'");
            }
            priors[deviceClass] = ParseClass(cls.Name, cls.Value);
        }
        var citations = new Dictionary<string, Citation>(StringComparer.Ordinal);
        if (root.TryGetProperty("citations", out var cites))
        {
            foreach (var c in cites.EnumerateObject())
            {
                citations[c.Name] = new Citation(
                    c.Value.GetProperty("title").GetString() ?? "", c.Value.GetProperty("url").GetString() ?? "", c.Value.GetProperty("date").GetString() ?? "");
            }
        }
        return new PriorTable(priors, citations);
    }

    private static EfficiencyPrior ParseClass(string name, JsonElement e)
    {
        var computeElement = Required(e, "compute", name);
        var compute = new Dictionary<OpGroup, double>();
        foreach (var group in Enum.GetValues<OpGroup>())
        {
            compute[group] = Fraction(computeElement, group.ToString().ToLowerInvariant(), $"{name}.compute");
        }
        var prior = new EfficiencyPrior
        {
            Runtime = e.TryGetProperty("runtime", out var rt) ? rt.GetString() ?? "" : "",
            Compute = compute,
            MemoryEfficiency = Fraction(e, "memoryEfficiency", name),
            HalfEfficiencyMflop = NonNegative(e, "halfEfficiencyMflop", name),
            KernelOverheadUs = NonNegative(e, "kernelOverheadUs", name),
            FixedOverheadUs = NonNegative(e, "fixedOverheadUs", name),
            ParallelEfficiency = Fraction(e, "parallelEfficiency", name),
            Spread = NonNegative(e, "spread", name),
            ReplicasPerChip = e.TryGetProperty("replicasPerChip", out var rpc) && rpc.TryGetInt32(out var n) && n >= 1 ? n : 1,
            FusesChains = e.TryGetProperty("fusesChains", out var chains) && chains.ValueKind == JsonValueKind.True,
            Citations = e.TryGetProperty("citations", out var c) ? [.. c.EnumerateArray().Select(x => x.GetString() ?? "")] : [],
        };
        return prior;
    }

    private static JsonElement Required(JsonElement e, string key, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) ? v : throw new FormatException($"priors: '{where}' has no '{key}'");

    private static double NonNegative(JsonElement e, string key, string where)
    {
        var v = Required(e, key, where);
        return v.ValueKind == JsonValueKind.Number && v.GetDouble() is var d && d >= 0 && double.IsFinite(d)
            ? d
            : throw new FormatException($"priors: '{where}.{key}' must be a non-negative number");
    }

    private static double Fraction(JsonElement e, string key, string where)
    {
        var d = NonNegative(e, key, where);
        return d is > 0 and <= 1 ? d : throw new FormatException($"priors: '{where}.{key}' must be in (0, 1]");
    }

    private static string ReadDefaultJson()
    {
        using var stream = typeof(PriorTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
