using System.Globalization;

namespace Silica.Prediction.Llm;

/// <summary>
/// Whether a replica's memory holds a decoder's weights and the KV cache of the tokens it must keep, after a reserve for
/// the runtime (activations, workspaces, CUDA context): the serving default of using 90% of device memory
/// (vLLM's <c>gpu_memory_utilization</c>).
/// </summary>
/// <param name="WeightBytes">All weights at the precision, across the replica.</param>
/// <param name="KvBytes">Keys and values of the tokens asked for.</param>
/// <param name="UsableBytes">The replica's memory less the reserve; null when unknown (no check is made).</param>
/// <param name="KvBytesPerToken">KV bytes per cached token, across the replica.</param>
public sealed record DecoderMemory(double WeightBytes, double KvBytes, double? UsableBytes, double KvBytesPerToken)
{
    /// <summary>Share of memory left to the runtime.</summary>
    public const double ReserveFraction = 0.10;

    /// <summary>What the replica needs.</summary>
    public double RequiredBytes => WeightBytes + KvBytes;

    /// <summary>True unless the need is known to exceed what is usable.</summary>
    public bool Fits => UsableBytes is not { } u || RequiredBytes <= u;

    /// <summary>Tokens the KV cache can hold after the weights (0 when the weights alone do not fit); null when memory is unknown.</summary>
    public long? KvCapacityTokens => UsableBytes is { } u ? (long)Math.Max(0, Math.Floor((u - WeightBytes) / KvBytesPerToken)) : null;

    /// <summary>The need for <paramref name="cachedTokens"/> tokens held at once on <paramref name="model"/>'s replica.</summary>
    public static DecoderMemory For(DecoderStepModel model, long cachedTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = model.Shape.WeightBytes(model.Replica.Precision);
        var usable = model.Replica.MemoryBytes * (1 - ReserveFraction);
        return new DecoderMemory(weights, cachedTokens * model.KvBytesPerToken, usable, model.KvBytesPerToken);
    }

    /// <summary>E.g. <c>needs 130.4 GiB (weights 130.4 + KV 0.0) of 72.0 usable</c>.</summary>
    public string Describe()
    {
        const double GiB = 1024.0 * 1024 * 1024;
        var c = CultureInfo.InvariantCulture;
        var need = string.Create(c, $"needs {RequiredBytes / GiB:0.##} GiB (weights {WeightBytes / GiB:0.##} + KV {KvBytes / GiB:0.##})");
        return UsableBytes is { } u
            ? need + string.Create(c, $" of {u / GiB:0.##} GiB usable ({100 * (1 - ReserveFraction):0}% of memory)")
            : need + "; memory unknown";
    }
}
