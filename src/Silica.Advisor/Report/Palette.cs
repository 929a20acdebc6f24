namespace Silica.Advisor.Report;

/// <summary>The report's colours: one fixed colour per device class, and a series palette for curves and op classes.</summary>
internal static class Palette
{
    /// <summary>Device classes in legend order.</summary>
    public static readonly IReadOnlyList<string> DeviceClasses = ["cpu", "gpu", "inferentia", "trainium", "tpu"];

    // Tableau 10 with two additions: distinct in print and for the common colour-vision deficiencies at this count.
    private static readonly string[] Series =
    [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
        "#edc948", "#9c755f", "#ff9da7", "#17becf", "#bab0ac", "#3b3b98",
    ];

    /// <summary>The colour of a device class; grey for one the report does not know.</summary>
    public static string ForDeviceClass(string? deviceClass) => deviceClass?.ToLowerInvariant() switch
    {
        "cpu" => "#4e79a7",
        "gpu" => "#59a14f",
        "inferentia" => "#f28e2b",
        "trainium" => "#e15759",
        "tpu" => "#b07aa1",
        _ => "#79706e",
    };

    /// <summary>The <paramref name="index"/>-th series colour, cycling.</summary>
    public static string ForSeries(int index) => Series[((index % Series.Length) + Series.Length) % Series.Length];

    /// <summary>Whether dark text reads better than white on <paramref name="hex"/> (a <c>#rrggbb</c> colour).</summary>
    public static bool IsLight(string hex)
    {
        if (hex.Length != 7 || hex[0] != '#'
            || !int.TryParse(hex.AsSpan(1), System.Globalization.NumberStyles.HexNumber, Html.Invariant, out var rgb))
        {
            return false;
        }

        // Relative luminance (ITU-R BT.709 weights on sRGB, close enough for choosing a label colour).
        var luminance = (0.2126 * ((rgb >> 16) & 0xFF)) + (0.7152 * ((rgb >> 8) & 0xFF)) + (0.0722 * (rgb & 0xFF));
        return luminance > 160;
    }

    /// <summary>The colour of per-kernel overhead in time breakdowns: neutral, so compute classes stand out.</summary>
    public const string Overhead = "#9d9d9d";
}
