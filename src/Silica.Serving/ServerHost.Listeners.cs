using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Silica.Serving;

/// <summary>
/// The host's listeners (REST, gRPC, metrics) and the role each connection arrives on. Every connection is tagged
/// with its listener's role, so one app can route by port even when the ports are chosen by the OS (port 0).
/// </summary>
internal sealed class ListenerSet(ServerHostOptions options)
{
    public const string Http = "http";
    public const string Grpc = "grpc";
    public const string Metrics = "metrics";

    /// <summary>The connection item that holds the role.</summary>
    public const string RoleKey = "silica.listener";

    private readonly Dictionary<string, ListenOptions> _bound = [];

    public void Configure(KestrelServerOptions kestrel)
    {
        var address = ServerHostOptions.ParseHost(options.Host);
        Listen(kestrel, address, options.HttpPort, Http, HttpProtocols.Http1);
        if (options.GrpcPort is { } grpc)
        {
            // gRPC needs HTTP/2; without TLS there is no negotiation, so the port speaks HTTP/2 only (prior knowledge).
            Listen(kestrel, address, grpc, Grpc, HttpProtocols.Http2);
        }
        if (options.MetricsPort is { } metrics)
        {
            Listen(kestrel, address, metrics, Metrics, HttpProtocols.Http1);
        }
    }

    /// <summary>The bound address of a listener (Kestrel updates the endpoint with the real port when it binds).</summary>
    public Uri? Address(string role)
    {
        lock (_bound)
        {
            if (!_bound.TryGetValue(role, out var listen) || listen.IPEndPoint is not { Port: > 0 } endpoint)
            {
                return null;
            }
            var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endpoint.Address;
            return new UriBuilder("http", host.ToString(), endpoint.Port).Uri;
        }
    }

    private void Listen(KestrelServerOptions kestrel, IPAddress address, int port, string role, HttpProtocols protocols) =>
        kestrel.Listen(address, port, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                connection.Items[RoleKey] = role;
                return next(connection);
            });
            lock (_bound)
            {
                _bound[role] = listen;
            }
        });
}
