using Silica.Hardware;

namespace Silica.Prediction;

/// <summary>Number-format facts the predictor needs: element size, parsing, and whether a device runs a format.</summary>
public static class Precision
{
    /// <summary>Bytes per element of a tensor stored in <paramref name="format"/>.</summary>
    public static int ElementBytes(NumericFormat format) => format switch
    {
        NumericFormat.Fp32 or NumericFormat.Tf32 => 4,
        NumericFormat.Bf16 or NumericFormat.Fp16 => 2,
        _ => 1,
    };

    /// <summary>Lower-case name (<c>fp32</c>, <c>bf16</c>...).</summary>
    public static string Name(NumericFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>Parses <c>fp32</c>, <c>bf16</c>, <c>fp16</c>, <c>fp8</c>, <c>int8</c> (and <c>tf32</c>), any case.</summary>
    /// <exception cref="ArgumentException">The name is not a known format; the message lists the known ones.</exception>
    public static NumericFormat Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Enum.TryParse<NumericFormat>(name.Trim(), ignoreCase: true, out var f) && !int.TryParse(name, out _)
            ? f
            : throw new ArgumentException($"unknown precision '{name}' (use fp32, bf16, fp16, fp8 or int8)");
    }

    /// <summary>Whether the catalog gives the device a peak for the format (no peak: the device cannot run it).</summary>
    public static bool IsSupported(DeviceSpec device, NumericFormat format)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Peak[format] is not null;
    }
}
