namespace Silica.Hardware;

/// <summary>
/// One catalog figure with where it came from: the value, the document it was read from (title and URL, or
/// "derived from ..." for what-if entries), the month it was published or checked (<c>YYYY-MM</c>), and a
/// note where the figure is uncertain or needs a caveat.
/// </summary>
/// <param name="Value">The figure in the unit its property names (TFLOP/s, GiB, GB/s, W, USD/hour).</param>
/// <param name="Source">Datasheet or pricing page title and URL; null or empty when unknown (the validator reports it).</param>
/// <param name="Date">Month of the source, <c>YYYY-MM</c>; null when unknown (the validator reports it).</param>
/// <param name="Note">Caveat or uncertainty, if any.</param>
public sealed record SourcedValue(double Value, string? Source, string? Date, string? Note = null)
{
    /// <summary>
    /// This figure multiplied by <paramref name="factor"/>, its source saying it was derived from
    /// <paramref name="basis"/> and keeping the original source; dated <paramref name="date"/> when given.
    /// </summary>
    public SourcedValue Scale(double factor, string basis, string? date = null) => new(
        Value * factor,
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"derived from {basis} x{factor:0.###}; base figure: {Source}"),
        date ?? Date,
        Note);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
