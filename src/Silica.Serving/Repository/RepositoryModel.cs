namespace Silica.Serving.Repository;

/// <summary>A model folder found in a <see cref="ModelRepository"/>.</summary>
/// <param name="Name">The folder name, which is the model name.</param>
/// <param name="Directory">The folder's real path (symbolic links resolved), inside the repository root.</param>
/// <param name="ConfigPath">The real path of <c>config.json</c>, or null when the model has none (it is auto-completed).</param>
/// <param name="Versions">Version folders holding a <c>model.onnx</c>, newest first.</param>
/// <param name="Problem">Why the model cannot be loaded at all (e.g. its config escapes the root), or null.</param>
public sealed record RepositoryModel(string Name, string Directory, string? ConfigPath, IReadOnlyList<RepositoryVersion> Versions, string? Problem = null);

/// <summary>One version folder of a <see cref="RepositoryModel"/>.</summary>
/// <param name="Version">The positive version number.</param>
/// <param name="ModelPath">The real path of its <c>model.onnx</c>; open this path, not another spelling of it.</param>
/// <param name="Problem">Why this version cannot be loaded (missing file, a link leaving the root), or null.</param>
public sealed record RepositoryVersion(long Version, string ModelPath, string? Problem = null);
