using Silica.Runtime.Batching;
using Silica.Runtime.Generation.Tokenization;
using Silica.Serving;
using Silica.Serving.Core;
using Silica.Serving.Grpc;
using Silica.Serving.Hosting;
using Silica.Serving.OpenAi;
using Silica.Serving.Repository;

namespace Silica.Cli.Commands.Serve;

/// <summary>Builds the model server and its host from <see cref="ServeSettings"/>, prints the addresses, serves until told to stop.</summary>
internal static class ServeRunner
{
    public static async Task<int> RunAsync(ServeSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var hostOptions = HostOptions(settings);
        if (settings.Repository is null && settings.Model is { } model && ServeDecoder.IsDecoder(model))
        {
            if (settings.Batching is not null || settings.GrpcPort is not null)
            {
                throw new UsageException("a decoder is served by the generation engine over the OpenAI API; --batching and --grpc-port apply to Open Inference Protocol models");
            }
            await using var engine = ServeDecoder.CreateEngine(settings);
            using var generation = new OpenAiService([engine]);
            await using var decoderHost = ServerHost.Build(hostOptions, new GenerationOnlyServer(), openAi: generation);
            return await ServeUntilStoppedAsync(decoderHost, output, cancellationToken).ConfigureAwait(false);
        }
        await using var server = CreateServer(settings);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Repository is null && server.Index(readyOnly: false).FirstOrDefault(e => e.State == ModelState.Failed) is { } failed)
        {
            throw new UsageException($"cannot serve {settings.Model}: {failed.Reason}");
        }
        var maxMessage = (int)Math.Min(settings.MaxBodyBytes, int.MaxValue);
        // Encoders (zoo:bert-base, a repository's BERT) answer /v1/embeddings; the GPT-2 BPE splits the text.
        // A repository's decoders also get a generation engine for /v1/chat/completions and /v1/completions.
        var engines = settings.Repository is { } root
            ? await ServeDecoder.RepositoryEnginesAsync(server, new ModelRepository(root), settings, Console.Error).ConfigureAwait(false)
            : [];
        await using var release = new EngineList(engines);
        using var openAi = new OpenAiService(engines, new OpenAiServiceOptions { EmbeddingTokenizer = Gpt2Tokenizer.Instance });
        await using var host = ServerHost.Build(hostOptions, server,
            builder =>
            {
                if (settings.GrpcPort is not null)
                {
                    builder.Services.AddInferenceGrpc(server, Math.Max(maxMessage, 1024));
                }
            },
            app =>
            {
                if (settings.GrpcPort is not null)
                {
                    GrpcEndpoints.Map(app);
                }
            },
            openAi);
        return await ServeUntilStoppedAsync(host, output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ServeUntilStoppedAsync(ServerHost host, TextWriter output, CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"REST     {host.HttpAddress}v2").ConfigureAwait(false);
        await output.WriteLineAsync($"OpenAI   {host.HttpAddress}v1").ConfigureAwait(false);
        if (host.GrpcAddress is { } grpc)
        {
            await output.WriteLineAsync($"gRPC     {grpc}").ConfigureAwait(false);
        }
        await output.WriteLineAsync($"metrics  {host.MetricsAddress ?? host.HttpAddress}metrics").ConfigureAwait(false);
        await output.WriteLineAsync("serving; Ctrl-C or SIGTERM drains and stops").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        // Ctrl-C and SIGTERM reach the host's own lifetime too; either way StopAsync drains before returning.
        using (cancellationToken.Register(() => _ = host.StopAsync(CancellationToken.None)))
        {
            await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return 0;
    }

    private static ServerHostOptions HostOptions(ServeSettings s)
    {
        var options = new ServerHostOptions
        {
            Host = s.Host,
            HttpPort = s.HttpPort,
            GrpcPort = s.GrpcPort,
            MetricsPort = s.MetricsPort,
            ApiKey = s.ApiKey,
            AdminKey = s.AdminKey,
            AllowModelControl = s.AllowModelControl,
            MaxRequestBodyBytes = s.MaxBodyBytes,
            MaxConnections = s.MaxConnections,
            DrainDelay = s.DrainDelay,
            OtlpEndpoint = s.OtlpEndpoint,
            JsonLogs = s.LogLevel != Microsoft.Extensions.Logging.LogLevel.None,
            MinimumLogLevel = s.LogLevel,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        return options;
    }

    private static ModelServer CreateServer(ServeSettings s)
    {
        if ((s.Model is null) == (s.Repository is null))
        {
            throw new UsageException("serve needs one model (a .onnx file or zoo:NAME) or --repository DIR");
        }
        if (s.Repository is { } root)
        {
            if (s.Batching is not null || s.Name is not null)
            {
                throw new UsageException("--batching and --name apply to a single model; a repository sets them in each model's config.json");
            }
            if (!Directory.Exists(root))
            {
                throw new UsageException($"repository folder not found: {root}");
            }
            // Repository models are files from elsewhere: each is opened first in a short-lived probe process.
            return new ModelServer(new ModelRepository(root), new ModelServerOptions { Probe = ProbeModel.ProbeModelCommand.ForThisProcess(), Session = Session(s) });
        }
        var model = s.Model!;
        var isZoo = model.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase);
        if (!isZoo && !File.Exists(model))
        {
            throw new UsageException($"model file not found: {model}");
        }
        var name = s.Name ?? (isZoo ? model[4..] : Path.GetFileNameWithoutExtension(model));
        try
        {
            return ModelServer.ForModel(model, name, s.Batching is { } b ? Config(b) : null,
                new ModelServerOptions { Probe = isZoo ? TrustingProbe : ProbeModel.ProbeModelCommand.ForThisProcess(), Session = Session(s) });
        }
        catch (InvalidRequestException e)
        {
            throw new UsageException($"{e.Message} (choose another with --name)");
        }
    }

    private static readonly IModelProbe TrustingProbe = new ModelServerOptions().Probe;

    // A server shares its cores with Kestrel and the clients' connections: ONNX Runtime's spinning idle threads would
    // compete with them, so serving turns spinning off.
    private static Runtime.Backends.SessionOptions Session(ServeSettings s) => new()
    {
        IntraOpThreads = s.Threads,
        AllowSpinning = false,
    };

    private static ModelConfig Config(BatcherOptions b) => new()
    {
        MaxBatchSize = b.MaxBatchSize,
        PreferredBatchSize = b.PreferredBatchSizes.Count > 0 ? b.PreferredBatchSizes : null,
        MaxQueueDelayMicroseconds = (long)b.MaxQueueDelay.TotalMicroseconds,
        MaxQueueSize = b.MaxQueueSize,
        QueueTimeoutMicroseconds = b.QueueTimeout == Timeout.InfiniteTimeSpan ? null : (long)b.QueueTimeout.TotalMicroseconds,
        InstanceCount = b.InstanceCount,
    };

    /// <summary>Disposes the repository's engines when serving ends.</summary>
    private sealed class EngineList(List<Runtime.Generation.GenerationEngine> engines) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var e in engines)
            {
                await e.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
