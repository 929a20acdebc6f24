using Microsoft.Extensions.Logging;
using Silica.Runtime.Batching;

namespace Silica.Cli.Commands.Serve;

/// <summary>What <c>silica serve</c> was asked to do, parsed from its flags.</summary>
internal sealed record ServeSettings(
    string? Model,
    string? Repository,
    string? Name,
    string Host,
    int HttpPort,
    int? GrpcPort,
    int? MetricsPort,
    BatcherOptions? Batching,
    string? ApiKey,
    string? AdminKey,
    bool AllowModelControl,
    long MaxBodyBytes,
    TimeSpan DrainDelay,
    LogLevel LogLevel,
    int Threads = 0,
    Uri? OtlpEndpoint = null,
    long? MaxConnections = null);
