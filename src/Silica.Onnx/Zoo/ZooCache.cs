using System.Globalization;
using Silica.Onnx.Graph;

namespace Silica.Onnx.Zoo;

/// <summary>
/// Where built zoo models are kept as files. A file's name holds everything its bytes depend on (model,
/// seed, weights or not, builder version), so a present file is always the right one and never needs
/// checking; files are written through <see cref="OnnxModel.Save"/>, which renames a finished temporary
/// file into place, so a crashed or concurrent writer never leaves a half-written model under that name.
/// </summary>
internal static class ZooCache
{
    /// <summary><c>$SILICA_CACHE/zoo</c> when the variable is set, otherwise <c>~/.cache/silica/zoo</c>.</summary>
    public static string DefaultDirectory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("SILICA_CACHE");
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "silica");
            }
            return Path.Combine(root, "zoo");
        }
    }

    public static string FileName(string name, ZooBuildOptions options) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{name}-seed{options.Seed}-{(options.WithWeights ? "weights" : "weightless")}-v{ModelZoo.BuilderVersion}.onnx");

    public static string GetOrCreate(string directory, string name, ZooBuildOptions options, Func<OnnxModel> build)
    {
        var path = Path.Combine(directory, FileName(name, options));
        if (!File.Exists(path))
        {
            build().Save(path);
        }
        return path;
    }
}
