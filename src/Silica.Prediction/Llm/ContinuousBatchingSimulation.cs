namespace Silica.Prediction.Llm;

/// <summary>
/// One event-by-step run of a replica under iteration-level scheduling with chunked prefill, as vLLM's V1 scheduler
/// runs it: every step first gives each decoding sequence its next token, then continues unfinished prompts, then
/// admits waiting requests in arrival order while sequences, step tokens and KV cache last. A request is admitted only
/// when the cache can hold its prompt and its whole output (no preemption), so a step's time is the step model's time of
/// exactly the tokens scheduled in it.
/// </summary>
internal sealed class ContinuousBatchingSimulation
{
    private readonly DecoderStepModel _model;
    private readonly CalibrationFactors _factors;
    private readonly ContinuousBatchingOptions _options;
    private readonly double[] _arrival;
    private readonly int[] _prompt;
    private readonly int[] _output;
    private readonly long _capacity;

    public ContinuousBatchingSimulation(DecoderStepModel model, CalibrationFactors factors, TokenLengths prompts, TokenLengths outputs,
        double arrivalQps, ContinuousBatchingOptions options)
    {
        _model = model;
        _factors = factors;
        _options = options;
        var total = options.WarmupRequests + options.Requests;
        _arrival = new double[total];
        _prompt = new int[total];
        _output = new int[total];
        // Separate streams for arrivals and lengths, so at a given seed every rate sees the same requests, only closer together.
        var arrivals = new Random(options.Seed);
        var lengths = new Random(unchecked((options.Seed * 7919) + 104729));
        var t = 0.0;
        for (var i = 0; i < total; i++)
        {
            t += -Math.Log(1.0 - arrivals.NextDouble()) / arrivalQps;
            _arrival[i] = t;
            _prompt[i] = prompts.Draw(lengths);
            _output[i] = outputs.Draw(lengths);
        }
        var memory = DecoderMemory.For(model, 0);
        _capacity = memory.KvCapacityTokens ?? long.MaxValue;
        ArrivalQps = arrivalQps;
    }

    public double ArrivalQps { get; }

    public ContinuousBatchingResult Run()
    {
        var n = _arrival.Length;
        var firstToken = new double[n];
        var finish = new double[n];
        Array.Fill(finish, double.NaN);
        var running = new List<Sequence>(_options.MaxSequences);
        var next = 0; // next arrival not yet queued
        var waiting = new Queue<int>();
        var rejected = 0;
        long reserved = 0;
        var clock = 0.0;
        long steps = 0;
        double runningSum = 0;
        var done = 0;
        while (done < n)
        {
            while (next < n && _arrival[next] <= clock)
            {
                waiting.Enqueue(next++);
            }
            if (running.Count == 0 && waiting.Count == 0)
            {
                clock = _arrival[next];
                continue;
            }
            var budget = _options.MaxBatchedTokens;
            var load = default(StepLoad);
            // Decoding sequences first: one token each.
            foreach (var s in running)
            {
                if (s.Prefilled == _prompt[s.Id] && budget > 0)
                {
                    load += StepLoad.Chunk(1, s.Cached, emits: true);
                    s.Scheduled = 1;
                    budget--;
                }
            }
            // Then prompts already started, then new admissions, each up to the remaining step budget.
            foreach (var s in running)
            {
                if (s.Prefilled < _prompt[s.Id] && budget > 0)
                {
                    budget -= Schedule(s, budget, ref load);
                }
            }
            while (waiting.Count > 0 && running.Count < _options.MaxSequences && budget > 0)
            {
                var id = waiting.Peek();
                var need = (long)_prompt[id] + _output[id];
                if (need > _capacity)
                {
                    waiting.Dequeue(); // can never fit: rejected, as a server answers 400 for a prompt over its limits
                    finish[id] = firstToken[id] = double.PositiveInfinity;
                    rejected += id >= _options.WarmupRequests ? 1 : 0;
                    done++;
                    continue;
                }
                if (reserved + need > _capacity)
                {
                    break; // the head waits for memory; admission stays in arrival order
                }
                waiting.Dequeue();
                reserved += need;
                var s = new Sequence(id);
                running.Add(s);
                budget -= Schedule(s, budget, ref load);
            }
            if (load.NewTokens == 0)
            {
                // Nothing schedulable (the head waits for memory held by no one can only happen if capacity is 0).
                clock = next < n ? Math.Max(clock, _arrival[next]) : clock;
                if (next >= n && running.Count == 0)
                {
                    break;
                }
                continue;
            }
            clock += _model.Seconds(load, _factors);
            steps++;
            runningSum += running.Count;
            for (var i = running.Count - 1; i >= 0; i--)
            {
                var s = running[i];
                if (s.Scheduled == 0)
                {
                    continue;
                }
                var wasDecoding = s.Prefilled == _prompt[s.Id];
                s.Cached += s.Scheduled;
                if (!wasDecoding)
                {
                    s.Prefilled += s.Scheduled;
                }
                s.Scheduled = 0;
                if (wasDecoding || s.Prefilled == _prompt[s.Id])
                {
                    s.Emitted++;
                    if (s.Emitted == 1)
                    {
                        firstToken[s.Id] = clock;
                    }
                    if (s.Emitted == _output[s.Id])
                    {
                        finish[s.Id] = clock;
                        reserved -= (long)_prompt[s.Id] + _output[s.Id];
                        running.RemoveAt(i);
                        done++;
                    }
                }
            }
        }
        return Summarize(firstToken, finish, steps == 0 ? 0 : runningSum / steps, rejected);
    }

    /// <summary>Schedules up to <paramref name="budget"/> prompt tokens of <paramref name="s"/>; returns how many.</summary>
    private int Schedule(Sequence s, int budget, ref StepLoad load)
    {
        var remaining = _prompt[s.Id] - s.Prefilled;
        var chunk = Math.Min(remaining, budget);
        load += StepLoad.Chunk(chunk, s.Cached, emits: chunk == remaining);
        s.Scheduled = chunk;
        return chunk;
    }

    private ContinuousBatchingResult Summarize(double[] firstToken, double[] finish, double meanRunning, int rejected)
    {
        var ttft = new List<double>(_options.Requests);
        var tpot = new List<double>(_options.Requests);
        double tokens = 0;
        double start = double.PositiveInfinity, end = 0;
        for (var i = _options.WarmupRequests; i < _arrival.Length; i++)
        {
            if (double.IsInfinity(finish[i]))
            {
                continue;
            }
            ttft.Add(firstToken[i] - _arrival[i]);
            if (_output[i] > 1)
            {
                tpot.Add((finish[i] - firstToken[i]) / (_output[i] - 1));
            }
            tokens += _output[i];
            start = Math.Min(start, _arrival[i]);
            end = Math.Max(end, finish[i]);
        }
        ttft.Sort();
        tpot.Sort();
        return new ContinuousBatchingResult(ArrivalQps,
            Percentile(ttft, 50), Percentile(ttft, 90), Percentile(ttft, 99),
            TpotPercentile(tpot, ttft.Count, 50), TpotPercentile(tpot, ttft.Count, 90), TpotPercentile(tpot, ttft.Count, 99),
            end > start ? tokens / (end - start) : 0, meanRunning, rejected);
    }

    /// <summary>Nearest-rank percentile of sorted values; infinite when there are none (every request rejected).</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.PositiveInfinity : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>TPOT percentile; 0 when requests completed but none had a second token to time.</summary>
    private static double TpotPercentile(List<double> sorted, int completed, double p) =>
        sorted.Count == 0 && completed > 0 ? 0 : Percentile(sorted, p);

    private sealed class Sequence(int id)
    {
        public int Id { get; } = id;

        public int Prefilled { get; set; }

        public long Cached { get; set; }

        public int Emitted { get; set; }

        public int Scheduled { get; set; }
    }
}
