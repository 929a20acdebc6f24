using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Silica.Cli.Commands.Serve;

/// <summary>
/// <c>silica serve &lt;model.onnx | zoo:name | --repository dir&gt;</c>: serves models over the Open Inference Protocol
/// v2 (REST, and gRPC with <c>--grpc-port</c>) and the OpenAI API (a KV-cache decoder through the generation engine)
/// until Ctrl-C or SIGTERM, then drains.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model") { Description = "A model to serve: a .onnx file or zoo:NAME", Arity = ArgumentArity.ZeroOrOne };
        var repository = new Option<string?>("--repository") { Description = "Serve every model of a repository folder (models/<name>/<version>/model.onnx)" };
        var name = new Option<string?>("--name") { Description = "The name to serve a single model under (default: the file or zoo name)" };
        var host = new Option<string>("--host") { Description = "Address to listen on (an IP, localhost or *)", DefaultValueFactory = _ => "127.0.0.1" };
        var httpPort = new Option<int>("--http-port") { Description = "REST port (0: any free port)", DefaultValueFactory = _ => 8000 };
        var grpcPort = new Option<int?>("--grpc-port") { Description = "gRPC port (HTTP/2); off unless given" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve /metrics on this port instead of the REST port" };
        var batching = new Option<string?>("--batching") { Description = "Dynamic batching for a single model, e.g. max=8,delay=2ms[,queue=1024][,timeout=30s][,instances=2]" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key for inference (Authorization: Bearer K or X-API-Key: K)" };
        var adminKey = new Option<string?>("--admin-key") { Description = "The key for the repository load/unload endpoints" };
        var allowModelControl = new Option<bool>("--allow-model-control") { Description = "Enable POST /v2/repository/models/{m}/load|unload (needs --admin-key)" };
        var maxBody = new Option<string>("--max-body") { Description = "Largest request body (e.g. 64MiB); larger ones get 413", DefaultValueFactory = _ => "64MiB" };
        var maxConnections = new Option<long?>("--max-connections") { Description = "Most client connections open at once; past it new ones are closed (default: half the open-file limit, at most 10000)" };
        var drainDelay = new Option<string>("--drain-delay") { Description = "On shutdown, how long readiness reports false before listeners close", DefaultValueFactory = _ => "0s" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per model instance (0: the backend's default)", DefaultValueFactory = _ => 0 };
        var otlp = new Option<string?>("--otlp-endpoint") { Description = "Export traces to an OpenTelemetry collector over OTLP/HTTP, e.g. http://127.0.0.1:4318 (default: $OTEL_EXPORTER_OTLP_ENDPOINT)" };
        var logLevel = new Option<string>("--log-level") { Description = "JSON log level on stderr: trace, debug, information, warning, error, none", DefaultValueFactory = _ => "information" };
        var command = new Command("serve", "Serve models over the Open Inference Protocol v2 (KServe/Triton REST and gRPC) and the OpenAI API under /v1 (completions for decoders, embeddings for encoders)")
        {
            model, repository, name, host, httpPort, grpcPort, metricsPort, batching, apiKey, adminKey, allowModelControl, maxBody, maxConnections, drainDelay, logLevel, threads, otlp,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token =>
        {
            var settings = new ServeSettings(
                Model: parse.GetValue(model),
                Repository: parse.GetValue(repository),
                Name: parse.GetValue(name),
                Host: parse.GetValue(host)!,
                HttpPort: parse.GetValue(httpPort),
                GrpcPort: parse.GetValue(grpcPort),
                MetricsPort: parse.GetValue(metricsPort),
                Batching: parse.GetValue(batching) is { } b ? Parsing.Batching(b) : null,
                ApiKey: parse.GetValue(apiKey),
                AdminKey: parse.GetValue(adminKey),
                AllowModelControl: parse.GetValue(allowModelControl),
                MaxBodyBytes: ByteSize.Parse(parse.GetValue(maxBody)!, "--max-body"),
                DrainDelay: Parsing.Duration(parse.GetValue(drainDelay)!, "--drain-delay"),
                LogLevel: ParseLogLevel(parse.GetValue(logLevel)!),
                Threads: NonNegative(parse.GetValue(threads), "--threads"),
                OtlpEndpoint: OtlpEndpoint(parse.GetValue(otlp) ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")),
                MaxConnections: parse.GetValue(maxConnections));
            return ServeRunner.RunAsync(settings, Console.Out, token);
        }, ct));
        return command;
    }

    private static Uri? OtlpEndpoint(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new UsageException($"--otlp-endpoint expects an http(s) URL such as http://127.0.0.1:4318; got '{text}'");

    private static int NonNegative(int value, string flag) =>
        value >= 0 ? value : throw new UsageException($"{flag} must be 0 or more; got {value}");

    private static LogLevel ParseLogLevel(string text) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        _ => throw new UsageException($"--log-level expects trace, debug, information, warning, error or none; got '{text}'"),
    };
}
