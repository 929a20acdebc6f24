using System.Globalization;
using Silica.LlmBench;
using Silica.Runtime.Backends;
using Silica.Runtime.Generation;

// Measurements behind docs/perf.md's generation rows (see benchmarks/llm/README.md):
//   capacity: paged KV cache vs per-sequence max-length reservation at the same cache memory (sequences held at once)
//   batching: continuous vs request-level static batching, same arrivals (output tokens/s, TTFT, TPOT)
var argv = args.ToList();
if (argv.Count == 0 || argv[0] is not ("capacity" or "batching" or "decode"))
{
    Console.Error.WriteLine("usage: Silica.LlmBench capacity|batching|decode [--model zoo:llama-tiny] [--threads 2] [--requests N] ...");
    return 2;
}
var command = argv[0];
string Arg(string name, string fallback)
{
    var i = argv.IndexOf("--" + name);
    return i >= 0 && i + 1 < argv.Count ? argv[i + 1] : fallback;
}
double Num(string name, double fallback) => double.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var model = Arg("model", "zoo:llama-tiny");
var threads = (int)Num("threads", 2);
var session = new SessionOptions { IntraOpThreads = threads, AllowSpinning = false };
Console.WriteLine($"# {command} on {model}, {threads} ONNX Runtime threads, {Environment.ProcessorCount} logical CPUs visible, {DateTime.UtcNow:u}");

try
{
    if (command == "capacity")
    {
        var cacheBytes = (long)(Num("cache-mb", 16) * (1 << 20));
        var requests = (int)Num("requests", 96);
        var context = (int)Num("context", 512);
        var workload = Workload.Burst(requests, (16, 256), (16, 64), seed: 7);
        Console.WriteLine($"# workload: {requests} requests at t=0, prompts uniform 16-256, outputs uniform 16-64 tokens; cache {cacheBytes >> 20} MiB; context {context}");
        Console.WriteLine("mode       blocks  peak_running  mean_running  preempted  makespan_s  output_tok/s");
        var rows = new Dictionary<string, WorkloadRunner.Result>();
        foreach (var reserve in new[] { false, true })
        {
            var options = new GenerationEngineOptions
            {
                KvCacheBytes = cacheBytes,
                ContextLength = context,
                ReserveMaxLength = reserve,
                MaxRunningSequences = 512,
                MaxBatchedTokens = 1024,
                PrefillChunkTokens = 128,
                MaxWaitingRequests = 100_000,
                Session = session,
            };
            await using var engine = GenerationEngine.Create(model, options);
            var r = await WorkloadRunner.RunAsync(engine, workload);
            var mode = reserve ? "reserved" : "paged";
            rows[mode] = r;
            var tokens = r.Traces.Sum(t => t.Tokens);
            Console.WriteLine(FormattableString.Invariant(
                $"{mode,-10} {engine.Stats.KvBlocksTotal,6}  {r.PeakRunning,12}  {r.MeanRunning,12:F1}  {r.Preempted,9}  {r.MakespanMs / 1000,10:F1}  {tokens / (r.MakespanMs / 1000),12:F0}"));
        }
        Console.WriteLine(FormattableString.Invariant(
            $"paged/reserved: peak {rows["paged"].PeakRunning / (double)rows["reserved"].PeakRunning:F2}x, mean {rows["paged"].MeanRunning / rows["reserved"].MeanRunning:F2}x"));
    }
    else if (command == "decode")
    {
        // Step time against batch size: B requests of 32 prompt tokens decode 64 tokens together.
        var options = new GenerationEngineOptions { KvCacheBytes = 64L << 20, ContextLength = 512, MaxRunningSequences = 64, MaxBatchedTokens = 2048, PrefillChunkTokens = 64, Session = session };
        await using var engine = GenerationEngine.Create(model, options);
        await WorkloadRunner.RunAsync(engine, Workload.Burst(2, (32, 32), (16, 16), seed: 1)); // warm-up
        Console.WriteLine("batch  tpot_p50_ms  output_tok/s");
        foreach (var batch in new[] { 1, 2, 4, 8, 16, 32 })
        {
            var r = await WorkloadRunner.RunAsync(engine, Workload.Burst(batch, (32, 32), (64, 64), seed: batch));
            var tpot = Percentiles.Of(r.Traces.Select(t => t.TpotMs), 50);
            Console.WriteLine(FormattableString.Invariant($"{batch,5}  {tpot,11:F2}  {batch * 1000 / tpot,12:F0}"));
        }
    }
    else
    {
        var requests = (int)Num("requests", 96);
        var rate = Num("rate", 30);
        var maxRunning = (int)Num("max-running", 8);
        var sloTpot = Num("slo-tpot-ms", 100);
        var outputMean = Num("output-mean", 48);
        var repeat = (int)Num("repeat", 3);
        var workload = Workload.Poisson(requests, rate, (16, 128), outputMean, (4, 256), seed: 11);
        Console.WriteLine(FormattableString.Invariant(
            $"# workload: {requests} requests, Poisson {rate}/s, prompts uniform 16-128, outputs exponential mean {outputMean} in [4, 256] ({workload.Sum(w => w.OutputTokens)} output tokens); max running {maxRunning}; TPOT SLO {sloTpot} ms; {repeat} alternating runs per mode"));
        // computed_tok: token positions the model ran (rows × longest new-token count per call); useful_tok: those of
        // real rows (prompt, output, recompute). Static batching's padded prefill and finished rows make the difference.
        Console.WriteLine("run mode        makespan_s  output_tok/s  goodput_tok/s  tok/cpu_s  ttft_p50_ms  ttft_p90_ms  tpot_p50_ms  tpot_p90_ms  mean_running  computed_tok  useful_tok  computed/useful");
        var modes = new[] { GenerationBatching.Continuous, GenerationBatching.Static };
        var engines = new Dictionary<GenerationBatching, GenerationEngine>();
        foreach (var batching in modes)
        {
            engines[batching] = GenerationEngine.Create(model, new GenerationEngineOptions
            {
                KvCacheBytes = 64L << 20,
                ContextLength = 512,
                MaxRunningSequences = maxRunning,
                MaxBatchedTokens = Math.Max(256, maxRunning),
                PrefillChunkTokens = 64,
                Batching = batching,
                StaticBatchWait = TimeSpan.FromMilliseconds(50),
                MaxWaitingRequests = 100_000,
                Session = session,
            });
            await WorkloadRunner.RunAsync(engines[batching], Workload.Poisson(4, 1000, (16, 64), 8, (8, 8), seed: 3)); // warm-up
        }
        var goodput = modes.ToDictionary(m => m, _ => new List<double>());
        var perCpu = modes.ToDictionary(m => m, _ => new List<double>());
        var ratios = new List<double>();
        var padding = modes.ToDictionary(m => m, _ => new List<double>());
        for (var run = 1; run <= repeat; run++)
        {
            // Alternate the modes so a change in the machine's load hits both alike.
            foreach (var batching in modes)
            {
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var r = await WorkloadRunner.RunAsync(engines[batching], workload);
                var cpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                var seconds = r.MakespanMs / 1000;
                var tokens = r.Traces.Sum(t => t.Tokens);
                var good = r.Traces.Where(t => !(t.TpotMs > sloTpot)).Sum(t => t.Tokens);
                goodput[batching].Add(good / seconds);
                perCpu[batching].Add(tokens / cpuSeconds);
                var tpots = r.Traces.Select(t => t.TpotMs).ToList();
                var ttfts = r.Traces.Select(t => t.TtftMs).ToList();
                Console.WriteLine(FormattableString.Invariant(
                    $"{run,3} {batching.ToString().ToLowerInvariant(),-10}  {seconds,10:F1}  {tokens / seconds,12:F0}  {good / seconds,13:F0}  {tokens / cpuSeconds,9:F0}  {Percentiles.Of(ttfts, 50),11:F0}  {Percentiles.Of(ttfts, 90),11:F0}  {Percentiles.Of(tpots, 50),11:F1}  {Percentiles.Of(tpots, 90),11:F1}  {r.MeanRunning,12:F1}  {r.ComputedTokens,12}  {r.ComputedTokens - r.PaddingTokens,10}  {r.PaddingFactor,15:F2}"));
                padding[batching].Add(r.PaddingFactor);
            }
            ratios.Add(goodput[GenerationBatching.Continuous][^1] / goodput[GenerationBatching.Static][^1]);
        }
        foreach (var engine in engines.Values)
        {
            await engine.DisposeAsync();
        }
        Console.WriteLine(FormattableString.Invariant(
            $"median goodput (TPOT <= {sloTpot} ms): continuous {Percentiles.Of(goodput[GenerationBatching.Continuous], 50):F0} tok/s, static {Percentiles.Of(goodput[GenerationBatching.Static], 50):F0} tok/s; median per-run ratio {Percentiles.Of(ratios, 50):F2}x (runs: {string.Join(", ", ratios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(FormattableString.Invariant(
            $"median output tokens per CPU-second: continuous {Percentiles.Of(perCpu[GenerationBatching.Continuous], 50):F0}, static {Percentiles.Of(perCpu[GenerationBatching.Static], 50):F0}"));
        Console.WriteLine(FormattableString.Invariant(
            $"median computed/useful token positions (padding waste): continuous {Percentiles.Of(padding[GenerationBatching.Continuous], 50):F2}, static {Percentiles.Of(padding[GenerationBatching.Static], 50):F2}"));
    }
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
