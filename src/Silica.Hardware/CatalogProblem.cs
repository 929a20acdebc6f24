namespace Silica.Hardware;

/// <summary>One thing wrong with a catalog, found by <see cref="CatalogValidator"/>.</summary>
/// <param name="EntryId">The device or instance id.</param>
/// <param name="Message">What is wrong, naming the figure.</param>
public sealed record CatalogProblem(string EntryId, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{EntryId}: {Message}";
}
