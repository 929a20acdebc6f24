using System.Globalization;
using System.Text.RegularExpressions;

namespace Silica.Hardware;

/// <summary>
/// Checks a catalog for what would make its answers untrustworthy: figures without a source or date, zero or
/// negative figures, instances pointing at unknown devices, duplicate ids, and peaks that look like sparse
/// (2:4) marketing numbers rather than dense ones.
/// </summary>
public static partial class CatalogValidator
{
    /// <summary>FP8 (or INT8) peaks above this multiple of the BF16/FP16 peak suggest a sparse figure slipped in.</summary>
    public const double MaxEightBitRatio = 2.2;

    /// <summary>Every problem found, in catalog order; empty when the catalog is sound.</summary>
    public static IReadOnlyList<CatalogProblem> Validate(Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new List<CatalogProblem>();
        Duplicates(catalog.Devices.Select(d => d.Id), "device", problems);
        Duplicates(catalog.Instances.Select(i => i.Id), "instance", problems);
        foreach (var d in catalog.Devices)
        {
            CheckFigures(d.Id, d.Figures(), problems);
            if (d.Local)
            {
                continue;
            }
            if (!d.Peak.All().Any(p => p.Peak is not null))
            {
                problems.Add(new(d.Id, "no peak throughput for any format"));
            }
            if (d.MemoryBandwidthGBps is null)
            {
                problems.Add(new(d.Id, "missing memory bandwidth"));
            }
            if (d.Class != DeviceClass.Cpu && d.MemoryGiB is null)
            {
                problems.Add(new(d.Id, "missing memory capacity"));
            }
            CheckDense(d, problems);
        }
        foreach (var i in catalog.Instances)
        {
            CheckFigures(i.Id, i.Figures(), problems);
            if (catalog.DeviceOf(i) is null)
            {
                problems.Add(new(i.Id, $"references unknown device '{i.DeviceId}'"));
            }
            if (i.Kind == InstanceKind.Cloud && i.PricePerHour is null)
            {
                problems.Add(new(i.Id, "missing pricePerHour"));
            }
            if (i.DeviceCount <= 0)
            {
                problems.Add(new(i.Id, $"deviceCount must be positive; got {i.DeviceCount}"));
            }
            if (i.Kind == InstanceKind.Cloud && i.VCpus <= 0)
            {
                problems.Add(new(i.Id, $"vcpus must be positive; got {i.VCpus}"));
            }
        }
        return problems;
    }

    private static void CheckFigures(string id, IEnumerable<(string Name, SourcedValue Value)> figures, List<CatalogProblem> problems)
    {
        foreach (var (name, f) in figures)
        {
            if (!(f.Value > 0) || !double.IsFinite(f.Value))
            {
                problems.Add(new(id, $"{name} must be positive; got {f.Value.ToString(CultureInfo.InvariantCulture)}"));
            }
            if (string.IsNullOrWhiteSpace(f.Source))
            {
                problems.Add(new(id, $"{name} has no source"));
            }
            if (string.IsNullOrWhiteSpace(f.Date))
            {
                problems.Add(new(id, $"{name} has no date"));
            }
            else if (!MonthPattern().IsMatch(f.Date))
            {
                problems.Add(new(id, $"{name} date '{f.Date}' is not YYYY-MM"));
            }
        }
    }

    private static void CheckDense(DeviceSpec d, List<CatalogProblem> problems)
    {
        var sixteen = d.Peak.Bf16?.Value ?? d.Peak.Fp16?.Value;
        if (sixteen is null)
        {
            return;
        }
        foreach (var (format, peak) in new[] { (NumericFormat.Fp8, d.Peak.Fp8), (NumericFormat.Int8, d.Peak.Int8) })
        {
            // CPU AMX/VNNI INT8 is legitimately 2x BF16; more than ~2.2x is the signature of a 2:4 sparse figure.
            if (peak is not null && peak.Value > MaxEightBitRatio * sixteen.Value)
            {
                problems.Add(new(d.Id, string.Create(CultureInfo.InvariantCulture,
                    $"peak.{format.ToString().ToLowerInvariant()} {peak.Value:0.###} is more than {MaxEightBitRatio}x the 16-bit peak {sixteen.Value:0.###}: a sparse figure? use dense")));
            }
        }
    }

    private static void Duplicates(IEnumerable<string> ids, string what, List<CatalogProblem> problems)
    {
        foreach (var group in ids.GroupBy(x => x, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add(new(group.Key, $"duplicate {what} id ({group.Count()} entries)"));
        }
    }

    [GeneratedRegex(@"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();
}
