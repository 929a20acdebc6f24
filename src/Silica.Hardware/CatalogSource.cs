namespace Silica.Hardware;

/// <summary>A document figures are read from: a datasheet, an architecture page or a pricing page.</summary>
/// <param name="Title">Document title.</param>
/// <param name="Url">Where to read it, if public.</param>
/// <param name="Date">Month of the version read, <c>YYYY-MM</c>.</param>
internal sealed record CatalogSource(string Title, string? Url, string? Date)
{
    /// <summary>Title and URL, as stored on each figure.</summary>
    public string Describe() => Url is null ? Title : $"{Title} <{Url}>";
}
