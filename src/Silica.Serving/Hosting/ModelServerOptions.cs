using Silica.Runtime.Backends;

namespace Silica.Serving.Hosting;

/// <summary>How a <see cref="ModelServer"/> loads and runs models.</summary>
public sealed record ModelServerOptions
{
    /// <summary>Where backends named in model configs come from.</summary>
    public BackendRegistry Backends { get; init; } = BackendRegistry.Default;

    /// <summary>Session settings for every model instance (threads, spinning, optimisation level).</summary>
    public SessionOptions Session { get; init; } = new();

    /// <summary>Clock for durations and the batchers' timers (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Checks untrusted models before they load; the default trusts them (no probe process yet).</summary>
    public IModelProbe Probe { get; init; } = TrustingModelProbe.Instance;

    /// <summary>The server name reported by <c>GET /v2</c>.</summary>
    public string ServerName { get; init; } = "silica";

    /// <summary>Protocol extensions the front ends serve, reported by <c>GET /v2</c>.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = ["binary_tensor_data", "model_repository", "statistics"];
}
