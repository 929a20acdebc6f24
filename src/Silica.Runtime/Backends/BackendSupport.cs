namespace Silica.Runtime.Backends;

/// <summary>Whether a backend can run a model, and if not, why.</summary>
/// <param name="IsSupported">True when the model can run.</param>
/// <param name="Reason">Why not, naming the operator, domain or type; null when supported.</param>
public readonly record struct BackendSupport(bool IsSupported, string? Reason)
{
    /// <summary>The model can run.</summary>
    public static BackendSupport Supported => new(true, null);

    /// <summary>The model cannot run, for <paramref name="reason"/>.</summary>
    public static BackendSupport NotSupported(string reason) => new(false, reason);
}
