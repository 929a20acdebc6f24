using System.Globalization;

namespace Silica.Cli.Output;

/// <summary>Human-readable numbers for tables: 4.09 G, 97.5 MB.</summary>
internal static class Units
{
    public static string Count(double value) => Scale(value, 1000, ["", " K", " M", " G", " T", " P"]);

    public static string Bytes(double value) => Scale(value, 1024, [" B", " KiB", " MiB", " GiB", " TiB", " PiB"]);

    /// <summary>Energy with an SI prefix: 412 µJ, 3.20 mJ, 1.50 J.</summary>
    public static string Joules(double joules) => joules switch
    {
        < 1e-3 => (joules * 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " µJ",
        < 1 => (joules * 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " mJ",
        _ => joules.ToString("0.00", CultureInfo.InvariantCulture) + " J",
    };

    private static string Scale(double value, double step, string[] suffixes)
    {
        var i = 0;
        while (Math.Abs(value) >= step && i < suffixes.Length - 1)
        {
            value /= step;
            i++;
        }
        var format = i == 0 && value == Math.Floor(value) ? "0" : Math.Abs(value) >= 100 ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture) + suffixes[i];
    }
}
