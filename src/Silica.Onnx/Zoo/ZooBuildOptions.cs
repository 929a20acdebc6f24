namespace Silica.Onnx.Zoo;

/// <summary>How <see cref="ModelZoo"/> builds a model.</summary>
public sealed record ZooBuildOptions
{
    /// <summary>
    /// True (default) fills every weight with seeded pseudo-random values so the model can run. False declares
    /// weights with their type and dims only: instant to build and enough for shape, cost and prediction work.
    /// </summary>
    public bool WithWeights { get; init; } = true;

    /// <summary>Seed of the weight values; the same seed always gives byte-identical models.</summary>
    public ulong Seed { get; init; } = 42;
}
