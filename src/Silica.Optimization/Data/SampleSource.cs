using System.Globalization;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Data;

/// <summary>
/// Resolves the user's data argument: a folder (see <see cref="SampleFolder"/>), or <c>synthetic</c> /
/// <c>synthetic:N</c> for <see cref="SyntheticSamples"/>.
/// </summary>
public static class SampleSource
{
    /// <summary>The prefix that asks for generated samples.</summary>
    public const string SyntheticPrefix = "synthetic";

    /// <summary>True when <paramref name="spec"/> asks for synthetic samples.</summary>
    public static bool IsSynthetic(string spec) =>
        spec is not null && (spec == SyntheticPrefix || spec.StartsWith(SyntheticPrefix + ":", StringComparison.Ordinal));

    /// <summary>Loads the samples <paramref name="spec"/> names.</summary>
    /// <param name="spec">A folder, <c>synthetic</c> or <c>synthetic:N</c>.</param>
    /// <param name="inputs">The model's runtime inputs.</param>
    /// <param name="bindings">Sizes of symbolic dimensions.</param>
    /// <param name="preprocessing">How images become tensors, when the folder holds images.</param>
    /// <param name="seed">Seed for synthetic samples.</param>
    /// <exception cref="SampleDataException">A bad count, or data that does not fit the model.</exception>
    public static SampleSet Load(string spec, IReadOnlyList<TensorInfo> inputs, IReadOnlyDictionary<string, long> bindings,
        ImagePreprocessing? preprocessing = null, int seed = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (!IsSynthetic(spec))
        {
            return SampleFolder.Load(spec, inputs, bindings, preprocessing);
        }
        var count = SyntheticSamples.DefaultCount;
        if (spec.Length > SyntheticPrefix.Length
            && (!int.TryParse(spec.AsSpan(SyntheticPrefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100_000))
        {
            throw new SampleDataException($"'{spec}': the synthetic sample count must be an integer from 1 to 100000, e.g. synthetic:32");
        }
        return SyntheticSamples.Create(inputs, bindings, count, seed);
    }
}
