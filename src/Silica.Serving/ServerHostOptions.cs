using System.Net;
using Microsoft.Extensions.Logging;

namespace Silica.Serving;

/// <summary>How <see cref="ServerHost"/> listens, which limits it enforces, and who may call it.</summary>
public sealed record ServerHostOptions
{
    /// <summary>The address to listen on: an IP address, <c>localhost</c> (loopback) or <c>*</c> (all interfaces).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The REST (HTTP/1.1) port; 0 picks a free one (see <see cref="ServerHost.HttpAddress"/>).</summary>
    public int HttpPort { get; init; } = 8000;

    /// <summary>The gRPC (HTTP/2 without TLS) port, or null for none; 0 picks a free one.</summary>
    public int? GrpcPort { get; init; }

    /// <summary>A separate port for <c>/metrics</c>, or null to serve it on the REST port; 0 picks a free one.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>The key inference endpoints require (<c>Authorization: Bearer</c> or <c>X-API-Key</c>); null for none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The key the repository load/unload endpoints require; it also works wherever <see cref="ApiKey"/> does.</summary>
    public string? AdminKey { get; init; }

    /// <summary>Enables <c>POST /v2/repository/models/{m}/load|unload</c>; requires <see cref="AdminKey"/>.</summary>
    public bool AllowModelControl { get; init; }

    /// <summary>Largest request body accepted; a larger declared Content-Length gets 413 before any of it is read.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L << 20;

    /// <summary>Largest total size of a request's headers (431 past it).</summary>
    public int MaxRequestHeadersTotalBytes { get; init; } = 32 << 10;

    /// <summary>Most headers a request may carry (431 past it).</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Time a client has to send all its headers before the connection is dropped (slow-loris on headers).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowest body upload tolerated after <see cref="MinRequestBodyGracePeriod"/>, in bytes per second (slow-loris on bodies).</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>Time before <see cref="MinRequestBodyBytesPerSecond"/> is enforced.</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most client connections open at once, over all listeners; past it new connections are closed at once. Null:
    /// half the process's open-file limit, at most 10,000, so a connection storm cannot exhaust the descriptors the
    /// server itself needs.
    /// </summary>
    public long? MaxConnections { get; init; }

    /// <summary>Deepest JSON nesting accepted in a request (400 past it).</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>After shutdown begins, how long readiness answers false before the listeners close (lets load balancers notice).</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Longest in-flight requests may take to finish during shutdown before their connections are aborted.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An OpenTelemetry collector to export traces to over OTLP/HTTP (protobuf), e.g. <c>http://127.0.0.1:4318</c>;
    /// null for none. Each inference request is one span tagged with its request id, model and version.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Write JSON log lines (with request ids) to standard error; off for embedded and test servers.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Least severe log level written when <see cref="JsonLogs"/> is on.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Checks the values are usable together.</summary>
    /// <exception cref="ArgumentException">A value is out of range, or model control is on without an admin key.</exception>
    public void Validate()
    {
        _ = ParseHost(Host);
        CheckPort(HttpPort, "the HTTP port");
        if (GrpcPort is { } g)
        {
            CheckPort(g, "the gRPC port");
        }
        if (MetricsPort is { } m)
        {
            CheckPort(m, "the metrics port");
        }
        var fixedPorts = new[] { HttpPort, GrpcPort ?? 0, MetricsPort ?? 0 }.Where(p => p != 0).ToList();
        if (fixedPorts.Count != fixedPorts.Distinct().Count())
        {
            throw new ArgumentException("the HTTP, gRPC and metrics ports must differ");
        }
        if (AllowModelControl && string.IsNullOrEmpty(AdminKey))
        {
            throw new ArgumentException("model control needs an admin key (--admin-key)");
        }
        if (!string.IsNullOrEmpty(ApiKey) && ApiKey == AdminKey)
        {
            throw new ArgumentException("the API key and the admin key must differ");
        }
        if (MaxConnections is < 1)
        {
            throw new ArgumentException($"the connection limit must be at least 1 (is {MaxConnections})");
        }
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentException($"the body limit must be at least 1 KiB (is {MaxRequestBodyBytes} bytes)");
        }
        if (MaxJsonDepth is < 4 or > 1024)
        {
            throw new ArgumentException($"the JSON depth limit must be between 4 and 1024 (is {MaxJsonDepth})");
        }
    }

    /// <summary>The address <see cref="Host"/> names.</summary>
    internal static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "+" => IPAddress.Any,
        _ when IPAddress.TryParse(host, out var ip) => ip,
        _ => throw new ArgumentException($"the host must be an IP address, 'localhost' or '*'; got '{host}'"),
    };

    private static void CheckPort(int port, string what)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"{what} must be between 0 and 65535 (is {port})");
        }
    }
}
