using Silica.Onnx;
using Silica.Onnx.Graph;
using Silica.Serving.Core;
using Silica.Serving.Repository;

namespace Silica.Serving.Hosting;

/// <summary>Where a server's models come from: a repository folder, or one model given on the command line.</summary>
internal abstract class ModelCatalog
{
    /// <summary>Every model the catalog holds.</summary>
    public abstract IReadOnlyList<CatalogModel> Scan();

    /// <summary>The model called <paramref name="name"/> (already validated).</summary>
    /// <exception cref="ModelNotFoundException">No such model.</exception>
    public abstract CatalogModel Find(string name);
}

/// <summary>A model in a catalog: how to read its config and each version.</summary>
internal sealed record CatalogModel(string Name, Func<ModelConfig?> ReadConfig, IReadOnlyList<CatalogVersion> Versions, string? Problem);

/// <summary>A version of a <see cref="CatalogModel"/>; <see cref="Read"/> parses it with Silica's own reader.</summary>
internal sealed record CatalogVersion(long Version, string? Path, Func<OnnxModel> Read, string? Problem);

/// <summary>The models of a <see cref="ModelRepository"/>.</summary>
internal sealed class RepositoryCatalog(ModelRepository repository) : ModelCatalog
{
    public override IReadOnlyList<CatalogModel> Scan() => [.. repository.Scan().Select(ToCatalog)];

    public override CatalogModel Find(string name) => ToCatalog(repository.Find(name));

    private CatalogModel ToCatalog(RepositoryModel m) => new(
        m.Name,
        () => m.ConfigPath is null ? null : ModelConfigReader.ReadFile(m.ConfigPath),
        [.. m.Versions.Select(v => new CatalogVersion(v.Version, v.ModelPath, () => ReadModel(m.Name, v), v.Problem))],
        m.Problem);

    // Messages go to clients (the repository index), so they name the file relative to the repository root.
    private OnnxModel ReadModel(string name, RepositoryVersion v)
    {
        try
        {
            return OnnxModel.Load(v.ModelPath);
        }
        catch (OnnxFormatException e)
        {
            var relative = $"{name}/{v.Version}/{ModelRepository.ModelFileName}";
            throw new OnnxFormatException(e.Message.Replace(v.ModelPath, relative, StringComparison.Ordinal), e);
        }
    }
}

/// <summary>One model, served as version 1 (<c>silica serve model.onnx</c>).</summary>
internal sealed class SingleModelCatalog(string name, string? path, Func<OnnxModel> read, ModelConfig? config) : ModelCatalog
{
    public override IReadOnlyList<CatalogModel> Scan() => [Model];

    public override CatalogModel Find(string name1) =>
        name1 == name ? Model : throw new ModelNotFoundException($"unknown model '{name1}' (this server serves '{name}')");

    private CatalogModel Model => new(name, () => config, [new CatalogVersion(1, path, read, null)], null);
}
