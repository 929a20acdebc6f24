namespace Silica.Hardware;

/// <summary>
/// Loads the built-in catalog (an embedded JSON data file) and layers user catalog files on top of it.
/// </summary>
/// <remarks>
/// A user file has the same shape as the built-in one. An entry whose id exists replaces only the fields it gives;
/// a new id adds an entry; <c>basedOn</c> derives a hypothetical entry from an earlier one, e.g.
/// <c>{ "id": "inf3-claim", "basedOn": "inferentia2", "scale": { "compute": 3.0 }, "source": "vendor claim" }</c>
/// and <c>{ "id": "inf3.xlarge", "basedOn": "inf2.xlarge", "device": "inf3-claim", "priceScale": 1.2 }</c>.
/// </remarks>
public static class CatalogLoader
{
    /// <summary>Name the built-in catalog goes by in error messages.</summary>
    public const string DefaultName = "catalog.json (built in)";

    private const string ResourceName = "Silica.Hardware.catalog.json";

    /// <summary>The built-in catalog, with the local machine described from <c>/proc/cpuinfo</c>.</summary>
    /// <exception cref="CatalogException">The embedded data is malformed (a build defect).</exception>
    public static Catalog LoadDefault() => LoadWithOverrides();

    /// <summary>The built-in catalog with <paramref name="userFiles"/> applied in order.</summary>
    /// <exception cref="CatalogException">A file is malformed; the one-line message names the file, entry and problem.</exception>
    /// <exception cref="FileNotFoundException">A user file does not exist.</exception>
    public static Catalog LoadWithOverrides(params string[] userFiles)
    {
        ArgumentNullException.ThrowIfNull(userFiles);
        var builder = new CatalogBuilder();
        builder.AddFile(DefaultName, ReadDefaultJson());
        foreach (var file in userFiles)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"catalog file '{file}' does not exist", file);
            }
            builder.AddFile(file, File.ReadAllText(file));
        }
        return builder.Build();
    }

    /// <summary>Loads catalogs from JSON text (name, text) pairs, without the built-in one; for tests and tools.</summary>
    /// <exception cref="CatalogException">A text is malformed.</exception>
    public static Catalog LoadFromJson(params (string Name, string Json)[] files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var builder = new CatalogBuilder();
        foreach (var (name, json) in files)
        {
            builder.AddFile(name, json);
        }
        return builder.Build();
    }

    /// <summary>The text of the embedded catalog file.</summary>
    public static string ReadDefaultJson()
    {
        using var stream = typeof(CatalogLoader).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing from {typeof(CatalogLoader).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
