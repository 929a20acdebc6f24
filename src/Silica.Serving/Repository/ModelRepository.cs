using Silica.Serving.Core;

namespace Silica.Serving.Repository;

/// <summary>
/// A model repository on disk: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c> plus an optional
/// <c>&lt;root&gt;/&lt;name&gt;/config.json</c>. Names are checked against a strict pattern before any file access, and
/// every path handed out is a real path (symbolic links resolved) inside the root.
/// </summary>
public sealed class ModelRepository
{
    /// <summary>The file name of a version's model.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The file name of a model's optional configuration.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Opens the repository at <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public ModelRepository(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var real = RealPath.Resolve(root);
        if (!Directory.Exists(real))
        {
            throw new DirectoryNotFoundException($"model repository '{root}' does not exist or is not a folder");
        }
        Root = real;
    }

    /// <summary>The root's real path.</summary>
    public string Root { get; }

    /// <summary>
    /// Every model folder whose name is valid, sorted by name. Folders with invalid names cannot be addressed by
    /// any request and are left out; version folders that are not positive integers are ignored.
    /// </summary>
    public IReadOnlyList<RepositoryModel> Scan()
    {
        var models = new List<RepositoryModel>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(dir);
            if (ModelNames.IsValid(name))
            {
                models.Add(Read(name));
            }
        }
        models.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return models;
    }

    /// <summary>The model called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidRequestException">The name is not a valid model name (checked before any file access).</exception>
    /// <exception cref="ModelNotFoundException">The repository has no such model.</exception>
    public RepositoryModel Find(string name)
    {
        ModelNames.Validate(name);
        if (!Directory.Exists(Path.Join(Root, name)))
        {
            throw new ModelNotFoundException($"model '{name}' is not in the repository");
        }
        return Read(name);
    }

    private RepositoryModel Read(string name)
    {
        string dir;
        try
        {
            dir = RealPath.Resolve(Path.Join(Root, name));
        }
        catch (IOException e)
        {
            return new RepositoryModel(name, Path.Join(Root, name), null, [], e.Message);
        }
        if (!RealPath.IsUnder(dir, Root) || dir == Root)
        {
            return new RepositoryModel(name, dir, null, [], $"model folder '{name}' is a link leading outside the repository; refused");
        }
        var versions = new List<RepositoryVersion>();
        foreach (var vdir in Directory.EnumerateDirectories(dir))
        {
            if (ModelNames.TryParseVersion(Path.GetFileName(vdir), out var version))
            {
                versions.Add(ReadVersion(name, version, Path.Join(dir, Path.GetFileName(vdir), ModelFileName)));
            }
        }
        versions.Sort((a, b) => b.Version.CompareTo(a.Version));
        var config = Path.Join(dir, ConfigFileName);
        if (!File.Exists(config))
        {
            return new RepositoryModel(name, dir, null, versions);
        }
        var realConfig = RealPath.Resolve(config);
        return RealPath.IsUnder(realConfig, dir)
            ? new RepositoryModel(name, dir, realConfig, versions)
            : new RepositoryModel(name, dir, null, versions, $"'{name}/{ConfigFileName}' is a link leading outside the model folder; refused");
    }

    private RepositoryVersion ReadVersion(string name, long version, string modelPath)
    {
        string real;
        try
        {
            real = RealPath.Resolve(modelPath);
        }
        catch (IOException e)
        {
            return new RepositoryVersion(version, modelPath, e.Message);
        }
        if (!RealPath.IsUnder(real, Root))
        {
            return new RepositoryVersion(version, modelPath, $"'{name}/{version}/{ModelFileName}' is a link leading outside the repository; refused");
        }
        if (!File.Exists(real))
        {
            return new RepositoryVersion(version, real, $"'{name}/{version}' has no {ModelFileName}");
        }
        return new RepositoryVersion(version, real);
    }
}
