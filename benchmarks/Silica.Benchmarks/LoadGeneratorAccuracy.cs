using System.Diagnostics;
using System.Globalization;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.Scheduling;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarks;

/// <summary>
/// How precisely the load generator holds a Poisson schedule and what it costs per query, measured
/// against a SUT that does nothing but timestamp each arrival.
/// Run: dotnet run -c Release --project benchmarks/Silica.Benchmarks -- loadgen-accuracy [runs] [qps] [seconds]
/// </summary>
public static class LoadGeneratorAccuracy
{
    private const double RateTolerance = 0.01;
    private const double OverheadBudgetNs = 2_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var qps = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var env = EnvironmentInfo.Capture();
        Console.WriteLine($"loadgen-accuracy: {runs} run(s), Server at {qps:F0} QPS for {seconds:F0} s, InstantSystemUnderTest");
        Console.WriteLine($"machine: {env.CpuModel}, {env.LogicalCores} logical cores, {env.DotNetVersion}");
        Console.WriteLine();
        Console.WriteLine("run  issued/s  err%    completed/s  KS D     KS crit  sched D  busy ns/q  lag p50 µs  lag p99 µs  lag max µs  late>10µs%  alloc B/q");

        var rows = new List<Row>();
        for (var run = 0; run < runs; run++)
        {
            var row = await MeasureServerAsync(qps, seconds, seed: 42 + run);
            rows.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run + 1,3}  {row.IssuedQps,8:F1}  {row.RateErrorPercent,5:F3}  {row.CompletedQps,11:F1}  {row.KsStatistic,7:F5}  {row.KsCritical,7:F5}  {row.ScheduleKsStatistic,7:F5}  {row.BusyNsPerQuery,9:F0}  {row.LagP50Us,10:F1}  {row.LagP99Us,10:F1}  {row.LagMaxUs,10:F1}  {row.LatePercent,10:F3}  {row.AllocatedBytesPerQuery,9:F3}"));
        }

        var closedLoopNs = await MeasureClosedLoopNsPerQueryAsync();
        var median = new Row(
            Median(rows, r => r.IssuedQps), Median(rows, r => r.RateErrorPercent), Median(rows, r => r.CompletedQps),
            Median(rows, r => r.KsStatistic), Median(rows, r => r.KsCritical), Median(rows, r => r.ScheduleKsStatistic), Median(rows, r => r.BusyNsPerQuery),
            Median(rows, r => r.LagP50Us), Median(rows, r => r.LagP99Us), Median(rows, r => r.LagMaxUs), Median(rows, r => r.LatePercent), Median(rows, r => r.AllocatedBytesPerQuery));
        var rateOk = Math.Abs(median.RateErrorPercent) <= RateTolerance * 100;
        var ksOk = median.KsStatistic < median.KsCritical;
        var overheadOk = median.BusyNsPerQuery < OverheadBudgetNs;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median achieved rate {median.IssuedQps:F1}/s, error {median.RateErrorPercent:F3}% (limit ±1%): {Verdict(rateOk)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median KS D of actual arrival gaps {median.KsStatistic:F5} vs critical {median.KsCritical:F5} at α=0.01: {Verdict(ksOk)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median KS D of the scheduled gaps (same queries) {median.ScheduleKsStatistic:F5}; issues late by >10 µs: {median.LatePercent:F3}%"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median issue-thread busy time {median.BusyNsPerQuery:F0} ns/query (limit {OverheadBudgetNs:F0}): {Verdict(overheadOk)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"closed-loop SingleStream full cycle (issue + complete + record + next): {closedLoopNs:F0} ns/query"));
        return rateOk && ksOk && overheadOk ? 0 : 1;
    }

    private static async Task<Row> MeasureServerAsync(double qps, double seconds, int seed)
    {
        var settings = new RunSettings
        {
            Scenario = Scenario.Server,
            TargetQps = qps,
            WarmupDuration = TimeSpan.FromSeconds(1),
            MinDuration = TimeSpan.FromSeconds(seconds),
            MaxDuration = TimeSpan.FromSeconds(seconds),
            RequireStability = false,
            Seed = seed,
        };
        var sut = new ArrivalRecorder((int)(qps * (seconds + 1) * 1.1) + 1000);
        var result = await LoadGenerator.RunAsync(sut, settings);

        // The measured queries are the last Issued arrivals; their gaps as the SUT saw them.
        var arrivals = sut.Arrivals;
        var measured = arrivals[^(int)result.Counts.Issued..];
        var gaps = new double[measured.Length - 1];
        for (var i = 1; i < measured.Length; i++)
        {
            gaps[i - 1] = (double)(measured[i] - measured[i - 1]) / Stopwatch.Frequency;
        }

        // The same queries' scheduled gaps, to tell the schedule's own fit from the issue thread's distortion.
        var offsets = new PoissonSchedule(qps, seed).CreateArrivalOffsets(arrivals.Length);
        var scheduled = offsets.AsSpan(offsets.Length - measured.Length);
        var scheduledGaps = new double[gaps.Length];
        var late = 0;
        for (var i = 1; i < scheduled.Length; i++)
        {
            scheduledGaps[i - 1] = (double)(scheduled[i] - scheduled[i - 1]) / Stopwatch.Frequency;
            late += (measured[i] - measured[0]) - (scheduled[i] - scheduled[0]) > Stopwatch.Frequency / 100_000 ? 1 : 0;
        }

        var harness = result.Harness!;
        return new Row(
            result.Throughput.IssuedQueriesPerSecond,
            (result.Throughput.IssuedQueriesPerSecond / qps - 1) * 100,
            result.Throughput.QueriesPerSecond,
            KolmogorovSmirnov.ExponentialStatistic(gaps, qps),
            KolmogorovSmirnov.CriticalValue(gaps.Length, 0.01),
            KolmogorovSmirnov.ExponentialStatistic(scheduledGaps, qps),
            harness.IssueBusyNsPerQuery,
            harness.IssueLagP50Us,
            harness.IssueLagP99Us,
            harness.IssueLagMaxUs,
            100.0 * late / gaps.Length,
            harness.AllocatedBytesPerQuery);
    }

    private static async Task<double> MeasureClosedLoopNsPerQueryAsync()
    {
        var settings = new RunSettings
        {
            Scenario = Scenario.SingleStream,
            WarmupDuration = TimeSpan.FromSeconds(0.5),
            MinDuration = TimeSpan.FromSeconds(3),
            MaxDuration = TimeSpan.FromSeconds(3),
            RequireStability = false,
        };
        var result = await LoadGenerator.RunAsync(new InstantSystemUnderTest(), settings);
        return 1e9 / result.Throughput.QueriesPerSecond;
    }

    private static double Median(List<Row> rows, Func<Row, double> figure)
    {
        var values = rows.Select(figure).Order().ToArray();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static string Verdict(bool ok) => ok ? "PASS" : "FAIL";

    private sealed record Row(
        double IssuedQps, double RateErrorPercent, double CompletedQps, double KsStatistic, double KsCritical, double ScheduleKsStatistic,
        double BusyNsPerQuery, double LagP50Us, double LagP99Us, double LagMaxUs, double LatePercent, double AllocatedBytesPerQuery);

    /// <summary>Completes at once and keeps the timestamp of every arrival in a preallocated array.</summary>
    private sealed class ArrivalRecorder(int capacity) : ISystemUnderTest
    {
        private readonly long[] _arrivals = new long[capacity];
        private int _count;

        public ReadOnlySpan<long> Arrivals => _arrivals.AsSpan(0, Math.Min(_count, _arrivals.Length));

        public ValueTask IssueAsync(Query query, CancellationToken cancellationToken)
        {
            var index = _count++;
            if (index < _arrivals.Length)
            {
                _arrivals[index] = Stopwatch.GetTimestamp();
            }

            return ValueTask.CompletedTask;
        }
    }
}
