using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Silica.Serving.Core;
using Silica.Serving.Http;

namespace Silica.Serving;

/// <summary>
/// The Kestrel application that serves an <see cref="IInferenceServer"/>: the Open Inference Protocol v2 REST API on
/// the HTTP port, whatever a protocol extension (gRPC) maps on the gRPC port, and <c>/metrics</c>. It enforces the
/// body, header and slow-client limits of <see cref="ServerHostOptions"/>, the optional API keys, and drains on
/// shutdown (SIGTERM, Ctrl-C or <see cref="StopAsync"/>): readiness turns false first, then in-flight requests finish
/// within <see cref="ServerHostOptions.ShutdownTimeout"/>. The host does not own the inference server.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly RestContext _rest;
    private readonly ListenerSet _listeners;

    private ServerHost(WebApplication app, RestContext rest, ListenerSet listeners)
    {
        App = app;
        _rest = rest;
        _listeners = listeners;
    }

    /// <summary>The underlying application (for tests and protocol extensions).</summary>
    public WebApplication App { get; }

    /// <summary>The REST address once started, with the port actually bound (e.g. <c>http://127.0.0.1:8000</c>).</summary>
    public Uri HttpAddress => _listeners.Address(ListenerSet.Http) ?? throw NotStarted();

    /// <summary>The gRPC address once started, or null when no gRPC port was asked for.</summary>
    public Uri? GrpcAddress => _listeners.Address(ListenerSet.Grpc);

    /// <summary>The separate metrics address once started, or null when metrics share the REST port.</summary>
    public Uri? MetricsAddress => _listeners.Address(ListenerSet.Metrics);

    /// <summary>True once shutdown has begun: readiness answers false while in-flight requests finish.</summary>
    public bool Draining => _rest.Draining;

    /// <summary>Builds (does not start) the host.</summary>
    /// <param name="options">Ports, limits and keys; validated here.</param>
    /// <param name="server">The server to expose; the caller keeps ownership.</param>
    /// <param name="configureServices">Adds services before the app is built (the gRPC front end calls <c>AddGrpc</c> here).</param>
    /// <param name="mapEndpoints">Maps more endpoints on the built app (the gRPC front end maps its service here).</param>
    /// <param name="openAi">Adds the OpenAI-compatible API under <c>/v1</c> and its LLM metrics to <c>/metrics</c>; the caller keeps ownership.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static ServerHost Build(ServerHostOptions options, IInferenceServer server,
        Action<WebApplicationBuilder>? configureServices = null, Action<WebApplication>? mapEndpoints = null, OpenAi.OpenAiService? openAi = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "silica",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var listeners = new ListenerSet(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var limits = kestrel.Limits;
            limits.MaxConcurrentConnections = options.MaxConnections ?? Hosting.ConnectionLimit.Default;
            limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;
            limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalBytes;
            limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
            limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGracePeriod);
            listeners.Configure(kestrel);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        ConfigureLogging(builder.Logging, options);
        builder.Services.AddRouting();
        if (options.OtlpEndpoint is { } otlp)
        {
            Metrics.TraceExport.Add(builder.Services, otlp);
        }
        // Protocol extensions (the gRPC service) resolve the server from the container.
        builder.Services.AddSingleton(server);
        var metrics = server as IMetricsRenderer ?? (server is Hosting.ModelServer model ? new ServingMetricsRenderer(model.Metrics) : null);
        if (openAi is not null)
        {
            metrics = openAi.CombineMetrics(metrics);
        }
        var rest = new RestContext(server, options, metrics);
        // Readiness turns false, for the drain delay, before the listeners close (see DrainService).
        builder.Services.AddSingleton<IHostedService>(new DrainService(rest, options.DrainDelay));
        configureServices?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(() => rest.Draining = true);
        app.UseMiddleware<OipErrorMiddleware>();
        app.UseMiddleware<PortRoleMiddleware>(options);
        app.UseRouting();
        mapEndpoints?.Invoke(app);
        if (openAi is not null)
        {
            OpenAi.OpenAiEndpoints.Map(app, rest, openAi);
        }
        RestEndpoints.Map(app, rest);
        return new ServerHost(app, rest, listeners);
    }

    /// <summary>Starts listening; the addresses are known when this completes.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    /// <summary>Completes when the host has shut down (after SIGTERM, Ctrl-C or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => App.WaitForShutdownAsync(cancellationToken);

    /// <summary>Drains and stops: readiness false, listeners closed, in-flight requests finished or aborted at the timeout.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => App.StopAsync(cancellationToken);

    /// <summary>Stops (if running) and releases the host.</summary>
    public ValueTask DisposeAsync() => App.DisposeAsync();

    private static InvalidOperationException NotStarted() => new("the server host has not started");

    private static void ConfigureLogging(ILoggingBuilder logging, ServerHostOptions options)
    {
        logging.ClearProviders();
        if (!options.JsonLogs)
        {
            return;
        }
        logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // Standard output is for the URLs the CLI prints; every log line goes to standard error.
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(options.MinimumLogLevel);
        // ASP.NET Core logs two lines per request at Information; Silica logs what matters itself.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    }

    /// <summary>Keeps readiness false for the drain delay before Kestrel stops accepting.</summary>
    /// <summary>
    /// Turns readiness false and holds the listeners open for the drain delay. It does this in
    /// <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host runs for every service before any service's
    /// StopAsync, so Kestrel cannot close its listeners first whatever the registration order.
    /// </summary>
    private sealed class DrainService(RestContext rest, TimeSpan delay) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            rest.Draining = true;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The shutdown timeout ran out during the delay: stop now.
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
