using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Remote;
using Spectre.Console;

namespace Silica.Cli.Commands.Bench;

/// <summary><c>silica bench --url URL --model M [--protocol json|binary|grpc]</c>: the same scenarios against a running server.</summary>
internal static class RemoteBench
{
    /// <summary>The remote target the flags name, or null for a local bench; a one-line usage error for inconsistent flags.</summary>
    public static RemoteTarget? Target(string? url, string? model, string protocol, string? positionalModel, bool localFlagsGiven)
    {
        if (url is null)
        {
            return model is null ? null : throw new UsageException("--model names a model on a server; use it with --url (for a local model, pass the file or zoo:NAME)");
        }
        if (positionalModel is not null)
        {
            throw new UsageException($"with --url the model runs on the server; name it with --model instead of '{positionalModel}'");
        }
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("--url needs --model, the model's name on the server");
        }
        if (localFlagsGiven)
        {
            throw new UsageException("--threads and --backend configure local runs; a server's threads and backend are its own configuration");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url must be an absolute http:// or https:// address; got '{url}'");
        }
        var wire = protocol.ToLowerInvariant() switch
        {
            "json" => RemoteProtocol.Json,
            "binary" => RemoteProtocol.Binary,
            "grpc" => RemoteProtocol.Grpc,
            _ => throw new UsageException($"--protocol must be json, binary or grpc; got '{protocol}'"),
        };
        return new RemoteTarget(uri, model, wire);
    }

    public static async Task<BenchReport> RunAsync(RemoteTarget target, BenchRequest request, CancellationToken cancellationToken)
    {
        var options = request.Options with { Bindings = request.Bindings };
        BenchReport? report = null;
        try
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var total = options.BatchSizes.Count;
                    var task = ctx.AddTask($"bench {Markup.Escape(target.Model)} at {Markup.Escape(target.Url.ToString())}", maxValue: total);
                    var progress = new Progress<BenchProgress>(p =>
                    {
                        task.Description = $"{Markup.Escape(target.Model)}: {Markup.Escape(p.Description)}";
                        if (p.Finished)
                        {
                            task.Increment(1);
                        }
                    });
                    report = await RemoteBenchmark.RunAsync(target, options, progress, cancellationToken).ConfigureAwait(false);
                    task.Value = total;
                }).ConfigureAwait(false);
        }
        catch (RemoteInferenceException e)
        {
            // An unreachable server or a model it does not know is a wrong flag, not a crash.
            throw new UsageException(e.Message);
        }
        return report!;
    }
}
