using Silica.Benchmarking.Llm;
using Spectre.Console;

namespace Silica.Cli.Commands.Bench;

/// <summary>A parsed <c>silica bench --llm</c> invocation.</summary>
internal sealed record LlmBenchRequest(string? Model, Uri? Url, string? RemoteModel, string? ApiKey, LlmBenchOptions Options, int Threads, string? JsonPath);

/// <summary>
/// <c>silica bench --llm</c>: an open-loop serving benchmark of a decoder, in process (<c>zoo:llama-tiny</c>, a
/// decoder file) or against any OpenAI-compatible server (<c>--url URL --model NAME</c>).
/// </summary>
internal static partial class LlmBench
{
    public static async Task<int> RunAsync(LlmBenchRequest request, CancellationToken cancellationToken)
    {
        await using var target = CreateTarget(request);
        LlmBenchReport? report = null;
        try
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask($"bench --llm {Markup.Escape(target.Description)}", maxValue: request.Options.Requests);
                    var progress = new Progress<int>(done => task.Value = done);
                    report = await LlmBenchmark.RunAsync(target, request.Options, progress, cancellationToken).ConfigureAwait(false);
                    task.Value = request.Options.Requests;
                }).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("the warm-up request", StringComparison.Ordinal))
        {
            // An unreachable server or a model it does not know is a wrong flag, not a crash.
            throw new UsageException(e.Message);
        }
        LlmBenchPrinter.Print(report!);
        if (request.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, LlmBenchReportJson.Serialize(report!), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"[grey]Results written to {Markup.Escape(path)} (schema version {report!.SchemaVersion}).[/]");
        }
        return 0;
    }

    private static ILlmTarget CreateTarget(LlmBenchRequest request)
    {
        if (request.Url is { } url)
        {
            return new OpenAiCompletionsTarget(url, request.RemoteModel!, request.ApiKey);
        }
        return InProcess(request.Model!, request.Threads);
    }
}
