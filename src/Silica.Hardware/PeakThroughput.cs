namespace Silica.Hardware;

/// <summary>
/// Dense peak throughput per number format, in TFLOP/s (TOP/s for INT8), without 2:4 structured sparsity.
/// A null entry means the device has no such path (T4 has no BF16), or that no peak is published.
/// </summary>
public sealed record PeakThroughput(
    SourcedValue? Fp32, SourcedValue? Tf32, SourcedValue? Bf16, SourcedValue? Fp16, SourcedValue? Fp8, SourcedValue? Int8)
{
    /// <summary>A peak with no format known.</summary>
    public static PeakThroughput None { get; } = new(null, null, null, null, null, null);

    /// <summary>The peak for <paramref name="format"/>, or null when unsupported or unpublished.</summary>
    public SourcedValue? this[NumericFormat format] => format switch
    {
        NumericFormat.Fp32 => Fp32,
        NumericFormat.Tf32 => Tf32,
        NumericFormat.Bf16 => Bf16,
        NumericFormat.Fp16 => Fp16,
        NumericFormat.Fp8 => Fp8,
        NumericFormat.Int8 => Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Every format with its (possibly null) peak, in enum order.</summary>
    public IEnumerable<(NumericFormat Format, SourcedValue? Peak)> All() =>
        Enum.GetValues<NumericFormat>().Select(f => (f, this[f]));

    /// <summary>Returns a copy with <paramref name="format"/> set to <paramref name="value"/>.</summary>
    public PeakThroughput With(NumericFormat format, SourcedValue? value) => format switch
    {
        NumericFormat.Fp32 => this with { Fp32 = value },
        NumericFormat.Tf32 => this with { Tf32 = value },
        NumericFormat.Bf16 => this with { Bf16 = value },
        NumericFormat.Fp16 => this with { Fp16 = value },
        NumericFormat.Fp8 => this with { Fp8 = value },
        NumericFormat.Int8 => this with { Int8 = value },
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Every known peak multiplied by <paramref name="factor"/>, sources saying they were derived.</summary>
    public PeakThroughput Scale(double factor, string basis, string? date = null)
    {
        var scaled = this;
        foreach (var (format, peak) in All())
        {
            scaled = scaled.With(format, peak?.Scale(factor, basis, date));
        }
        return scaled;
    }
}
