using Silica.Serving.Core;

namespace Silica.Serving.Http;

/// <summary>What the REST handlers share: the server, the limits, the keys and whether the host is draining.</summary>
internal sealed class RestContext(IInferenceServer server, ServerHostOptions options, IMetricsRenderer? metrics)
{
    private volatile bool _draining;

    public IInferenceServer Server { get; } = server;

    public ServerHostOptions Options { get; } = options;

    public ApiKeys Keys { get; } = new(options.ApiKey, options.AdminKey);

    public IMetricsRenderer? Metrics { get; } = metrics;

    /// <summary>Set when shutdown begins: readiness answers false from then on, while in-flight requests finish.</summary>
    public bool Draining
    {
        get => _draining;
        set => _draining = value;
    }

    public bool IsReady => !_draining && Server.IsReady;
}
