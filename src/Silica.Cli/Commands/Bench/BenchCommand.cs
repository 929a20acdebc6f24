using System.CommandLine;
using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Scenarios;
using Silica.Runtime.Backends;
using Spectre.Console;

namespace Silica.Cli.Commands.Bench;

/// <summary><c>silica bench &lt;model&gt;</c>: measure a model on local hardware with MLPerf-style scenarios.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model") { Description = "An .onnx file or a built-in model (zoo:mlp, zoo:bert-base, ...); omit with --url", Arity = ArgumentArity.ZeroOrOne };
        var scenario = new Option<string>("--scenario") { Description = "singlestream | multistream | server | offline | concurrency", DefaultValueFactory = _ => "offline" };
        var batch = new Option<string>("--batch") { Description = "Batch sizes to sweep, e.g. 1,4,16 (samples per query)", DefaultValueFactory = _ => "1" };
        var threads = new Option<string>("--threads") { Description = "Intra-op thread counts to sweep, e.g. 1,2 (0 = backend default)", DefaultValueFactory = _ => "0" };
        var qps = new Option<string?>("--qps") { Description = "Server scenario: Poisson arrival rate (queries/s), or 'auto' to find the highest rate that meets --latency-bound" };
        var bound = new Option<string?>("--latency-bound") { Description = "Server scenario: p99 latency bound, e.g. 100ms" };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrency scenario: outstanding queries", DefaultValueFactory = _ => 1 };
        var batching = new Option<string?>("--batching") { Description = "Put a dynamic batcher in front: max=16,delay=2ms[,queue=N,timeout=30s,instances=N,preferred=4/8]" };
        var bind = new Option<string?>("--bind") { Description = "Sizes of symbolic dimensions other than the batch, e.g. seq=128" };
        var duration = new Option<string>("--duration") { Description = "Minimum measured time per point", DefaultValueFactory = _ => "5s" };
        var maxDuration = new Option<string>("--max-duration") { Description = "Maximum measured time per point", DefaultValueFactory = _ => "60s" };
        var warmup = new Option<string>("--warmup") { Description = "Warm-up before measuring each point", DefaultValueFactory = _ => "1s" };
        var minQueries = new Option<long>("--min-queries") { Description = "Minimum measured queries per point", DefaultValueFactory = _ => 20 };
        var tolerance = new Option<double>("--stability") { Description = "Stability tolerance across the last three windows", DefaultValueFactory = _ => 0.10 };
        var noStability = new Option<bool>("--no-stability") { Description = "Stop at the minimums without waiting for stable windows" };
        var backend = new Option<string>("--backend") { Description = "Backend to run on (cpu)", DefaultValueFactory = _ => "cpu" };
        var tdp = new Option<double?>("--cpu-tdp") { Description = "CPU package power in watts, for the energy estimate when no energy counter is readable" };
        var json = new Option<string?>("--json") { Description = "Write the versioned results JSON to this file" };
        var precision = new Option<string>("--precision") { Description = "Compute precision: fp32 | tf32 | fp16 | bf16 | fp8 (backends reject what they lack)", DefaultValueFactory = _ => "fp32" };
        var seed = new Option<int>("--seed") { Description = "Seed for arrivals and synthetic inputs", DefaultValueFactory = _ => 42 };
        var url = new Option<string?>("--url") { Description = "Drive a running Open Inference Protocol v2 server instead (Silica, Triton, KServe), e.g. http://127.0.0.1:8000" };
        var remoteModel = new Option<string?>("--model") { Description = "With --url: the model name on the server" };
        var protocol = new Option<string>("--protocol") { Description = "With --url: json | binary | grpc (gRPC needs the server's HTTP/2 address)", DefaultValueFactory = _ => "json" };
        var llm = new LlmBenchOptionSet();

        var command = new Command("bench", "Measure a model on this machine: latency percentiles, throughput and energy per inference")
        {
            model, scenario, batch, threads, qps, bound, concurrency, batching, bind, duration, maxDuration, warmup, minQueries,
            tolerance, noStability, backend, tdp, json, seed, precision, url, remoteModel, protocol,
        };
        llm.AddTo(command);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            if (parse.GetValue(llm.Enabled))
            {
                return await LlmBench.RunAsync(llm.Parse(parse, model, url, remoteModel, qps, duration, threads, seed, json), token).ConfigureAwait(false);
            }
            var compute = GpuCheck.CheckPrecision.Parse(parse.GetValue(precision)!);
            var remote = RemoteBench.Target(parse.GetValue(url), parse.GetValue(remoteModel), parse.GetValue(protocol)!, parse.GetValue(model),
                parse.GetResult(threads) is { Implicit: false } || parse.GetResult(backend) is { Implicit: false });
            var request = new BenchRequest(
                remote?.Model ?? parse.GetValue(model) ?? throw new UsageException("give a model (an .onnx file or zoo:NAME), or --url and --model for a running server"),
                parse.GetValue(backend)!,
                new InferenceBenchmarkOptions
                {
                    Scenario = ParseScenario(parse.GetValue(scenario)!),
                    BatchSizes = Parsing.IntList(parse.GetValue(batch)!, "--batch"),
                    ThreadCounts = Parsing.IntList(parse.GetValue(threads)!, "--threads", min: 0),
                    TargetQps = ParseQps(parse.GetValue(qps)),
                    FindMaxQps = string.Equals(parse.GetValue(qps), "auto", StringComparison.OrdinalIgnoreCase),
                    LatencyBound = parse.GetValue(bound) is { } b ? Parsing.Duration(b, "--latency-bound") : null,
                    Concurrency = parse.GetValue(concurrency),
                    Batching = parse.GetValue(batching) is { } spec ? Parsing.Batching(spec) : null,
                    MinDuration = Parsing.Duration(parse.GetValue(duration)!, "--duration"),
                    MaxDuration = Parsing.Duration(parse.GetValue(maxDuration)!, "--max-duration"),
                    Warmup = Parsing.Duration(parse.GetValue(warmup)!, "--warmup"),
                    MinQueries = parse.GetValue(minQueries),
                    StabilityTolerance = parse.GetValue(tolerance),
                    RequireStability = !parse.GetValue(noStability),
                    CpuTdpWatts = parse.GetValue(tdp),
                    Seed = parse.GetValue(seed),
                    Precision = compute.Precision,
                    AllowTf32 = compute.AllowTf32,
                },
                Bindings.Parse(parse.GetValue(bind)),
                parse.GetValue(json));
            var report = remote is null
                ? await BenchRunner.RunAsync(request, token).ConfigureAwait(false)
                : await RemoteBench.RunAsync(remote with { MaxConnections = Math.Max(remote.MaxConnections, request.Options.Concurrency) }, request, token).ConfigureAwait(false);
            BenchPrinter.Print(report);
            if (request.JsonPath is { } path)
            {
                BenchJson.Write(report, path);
                AnsiConsole.MarkupLine($"[grey]Results written to {Markup.Escape(path)} (schema version {report.SchemaVersion}).[/]");
            }
            return 0;
        }, ct));
        return command;
    }

    private static double? ParseQps(string? text)
    {
        if (text is null || string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v
            : throw new UsageException($"--qps expects a positive rate or 'auto'; got '{text}'");
    }

    private static Scenario ParseScenario(string text) => text.ToLowerInvariant() switch
    {
        "singlestream" or "single-stream" => Scenario.SingleStream,
        "multistream" or "multi-stream" => Scenario.MultiStream,
        "server" => Scenario.Server,
        "offline" => Scenario.Offline,
        "concurrency" => Scenario.Concurrency,
        _ => throw new UsageException($"--scenario must be singlestream, multistream, server, offline or concurrency; got '{text}'"),
    };
}

/// <summary>A parsed bench invocation.</summary>
internal sealed record BenchRequest(string Model, string Backend, InferenceBenchmarkOptions Options, Dictionary<string, long> Bindings, string? JsonPath);
