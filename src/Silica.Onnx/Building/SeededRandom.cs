namespace Silica.Onnx.Building;

/// <summary>
/// SplitMix64: a tiny, fast, fully specified generator, so a zoo model's weights depend only on its seed
/// and not on the .NET version's <see cref="Random"/> implementation.
/// </summary>
internal struct SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-1, 1).</summary>
    public float NextSigned() => (float)((NextUInt64() >> 40) * (1.0 / (1UL << 24)) * 2.0 - 1.0);
}
