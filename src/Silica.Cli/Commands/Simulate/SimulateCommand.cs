using System.CommandLine;
using System.Globalization;
using Silica.Prediction.Serving;
using Silica.Runtime.Batching;
using Spectre.Console;

namespace Silica.Cli.Commands.Simulate;

/// <summary>
/// <c>silica simulate --curve bench.json --batching max=8,delay=2ms --qps 50,100 [--slo-p99 100ms]</c>: predicts a
/// dynamic batcher's latency under Poisson load from a measured service-time curve, without running the model.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var curve = new Option<string>("--curve") { Description = "A 'silica bench --json' report of the model's service times (--scenario singlestream --batch 1,2,4,8)", Required = true };
        var batching = new Option<string>("--batching") { Description = "The batcher: max=8,delay=2ms[,instances=N,preferred=4/8,queue=N,timeout=30s]", Required = true };
        var qps = new Option<string?>("--qps") { Description = "Poisson arrival rates to simulate, requests/s, e.g. 50,100,200" };
        var slo = new Option<string?>("--slo-p99") { Description = "Also find the highest rate whose p99 stays within this bound, e.g. 100ms" };
        var rows = new Option<int>("--rows") { Description = "Rows (samples) per request", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Which thread count's curve to use when the report swept several" };
        var requests = new Option<int>("--requests") { Description = "Simulated requests per rate (after 5% warm-up)", DefaultValueFactory = _ => 20000 };
        var seed = new Option<int>("--seed") { Description = "Seed for arrivals and service-time draws", DefaultValueFactory = _ => 42 };
        var overhead = new Option<string?>("--overhead")
        {
            Description = "Latency the platform adds to every request outside the model (thread hops, timer lateness): 3ms, or per percentile p50=3ms,p90=5ms,p99=12ms",
        };
        var calibrate = new Option<string?>("--calibrate")
        {
            Description = "Measure that overhead from a 'silica bench --scenario server --json' run of the same batcher at a light load: its gap to the simulation at p50, p90, p99",
        };
        var arrivals = new Option<string>("--arrivals")
        {
            Description = "poisson: a plain Poisson process (plan with this); bench: Poisson conditioned on its count per second, as 'silica bench --scenario server' schedules it (validate against a bench run with this)",
            DefaultValueFactory = _ => "poisson",
        };
        var lognormal = new Option<bool>("--lognormal") { Description = "Draw service times from a lognormal fitted to each batch size's p50 and p99, instead of from all measured quantiles" };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to this file" };
        var command = new Command("simulate", "Predict a dynamic batcher's latency percentiles and capacity under Poisson load from a measured service-time curve (discrete-event simulation)")
        {
            curve, batching, qps, slo, rows, threads, requests, seed, overhead, calibrate, lognormal, arrivals, json,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var rates = parse.GetValue(qps) is { } q ? Rates(q) : [];
            TimeSpan? bound = parse.GetValue(slo) is { } s ? Parsing.Duration(s, "--slo-p99") : null;
            if (rates.Count == 0 && bound is null)
            {
                throw new UsageException("give --qps rates to simulate, --slo-p99 to find the capacity, or both");
            }
            if (bound is { } b && b <= TimeSpan.Zero)
            {
                throw new UsageException("--slo-p99 must be positive");
            }
            var spec = parse.GetValue(batching)!;
            var batcher = Parsing.Batching(spec);
            var policy = Policy(batcher, parse.GetValue(rows));
            var count = parse.GetValue(requests);
            if (count < 100 || count > 10_000_000)
            {
                throw new UsageException($"--requests must be between 100 and 10000000; got {count}");
            }
            var options = new SimulationOptions
            {
                Requests = count,
                WarmupRequests = Math.Max(100, count / 20),
                Seed = parse.GetValue(seed),
                CountWindow = parse.GetValue(arrivals) switch
                {
                    "poisson" => null,
                    // The load generator's default window (RunSettings.WindowDuration).
                    "bench" => TimeSpan.FromSeconds(1),
                    var other => throw new UsageException($"--arrivals must be poisson or bench; got '{other}'"),
                },
            };
            var service = ServiceCurveFile.Load(parse.GetValue(curve)!, parse.GetValue(threads), parse.GetValue(lognormal));
            Calibration? calibration = null;
            if (parse.GetValue(calibrate) is { } light)
            {
                if (parse.GetValue(overhead) is not null)
                {
                    throw new UsageException("give --overhead or --calibrate, not both");
                }
                calibration = OverheadSource.Calibrate(light, batcher, policy, service, options);
                options = options with { Overhead = calibration.Overhead };
            }
            else if (parse.GetValue(overhead) is { } o)
            {
                options = options with { Overhead = OverheadSource.Parse(o) };
            }

            var results = rates.Select(r => BatcherSimulator.Run(policy, service.Service, r, options)).ToList();
            var capacity = bound is { } slo99 ? BatcherSimulator.MaxQps(policy, service.Service, slo99, options) : null;
            var report = new SimulationReport(service, spec, policy, options, calibration, results, bound, capacity);
            SimulatePrinter.Print(report);
            if (parse.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllText(path, SimulateJson.Serialize(report));
                AnsiConsole.MarkupLine($"[grey]Results written to {Markup.Escape(path)}.[/]");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The simulated policy for the runtime batcher's options (the spec parser's result).</summary>
    private static BatcherPolicy Policy(BatcherOptions o, int rows)
    {
        var policy = new BatcherPolicy
        {
            MaxBatchSize = o.MaxBatchSize,
            MaxQueueDelay = o.MaxQueueDelay,
            Servers = o.InstanceCount,
            RowsPerRequest = rows,
            PreferredBatchSizes = o.PreferredBatchSizes,
            MaxQueueSize = o.MaxQueueSize,
            QueueTimeout = o.QueueTimeout,
        };
        if (rows < 1 || rows > o.MaxBatchSize)
        {
            throw new UsageException($"--rows must be between 1 and the batch size max={o.MaxBatchSize}; got {rows}");
        }
        policy.Validate();
        return policy;
    }

    private static List<double> Rates(string text)
    {
        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v > 0) || !double.IsFinite(v) || v > 1e9)
            {
                throw new UsageException($"--qps expects a comma-separated list of positive rates; got '{part}'");
            }
            list.Add(v);
        }
        if (list.Count == 0)
        {
            throw new UsageException("--qps needs at least one rate");
        }
        return list;
    }
}

/// <summary>Everything one <c>silica simulate</c> invocation computed.</summary>
internal sealed record SimulationReport(
    ServiceCurve Curve,
    string BatchingSpec,
    BatcherPolicy Policy,
    SimulationOptions Options,
    Calibration? Calibration,
    IReadOnlyList<SimulationResult> Results,
    TimeSpan? SloP99,
    CapacityResult? Capacity);
