using System.Globalization;
using Silica.Hardware;
using Silica.Prediction;
using Silica.Prediction.Llm;
using Silica.Runtime.Backends;

namespace Silica.Advisor.Llm;

/// <summary>
/// Calibrates the decoder step model to this machine: times decode steps of a real exported decoder on the CPU backend
/// at a few batch sizes, and fits the step model's per-term factors (<see cref="Calibrator"/>) so that predicted TPOT
/// matches. Runs with a fixed thread count, and the replica predicted has exactly that many cores.
/// </summary>
public static class LocalDecodeCalibration
{
    /// <summary>Consecutive steps timed as one block of a round.</summary>
    public const int StepsPerBlock = 4;

    /// <summary>
    /// Times <paramref name="batches"/> in interleaved rounds (each round runs a block of every batch, so a slow spell on
    /// a shared machine slows all of them alike), after a warm-up round. Each batch gets its median wall time per step
    /// and, with one thread, the process CPU time per step: the step's own cost, without the time the scheduler gives
    /// to other processes, which on a loaded machine (here: load average 40-56 on 2 cores) inflates wall times by
    /// several times and unevenly across batch sizes.
    /// </summary>
    /// <exception cref="ArgumentException">The model does not follow the decoder convention.</exception>
    /// <exception cref="ModelLoadException">The backend rejects the model.</exception>
    public static IReadOnlyList<DecodeMeasurement> Measure(string modelPath, DecoderShape shape, IReadOnlyList<int> batches, int pastTokens,
        int rounds, int threads)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var backend = BackendRegistry.Default.Get("cpu");
        using var session = backend.CreateSession(modelPath, new SessionOptions { IntraOpThreads = threads, AllowSpinning = false });
        var timers = batches.Select(b => new DecodeStepTimer(session, shape, b, pastTokens)).ToList();
        try
        {
            var wall = timers.Select(_ => new List<double>(rounds * StepsPerBlock)).ToList();
            var cpu = new double[timers.Count];
            for (var round = -1; round < rounds; round++)
            {
                for (var i = 0; i < timers.Count; i++)
                {
                    var cpu0 = Environment.CpuUsage.TotalTime; // getrusage: microsecond resolution
                    for (var step = 0; step < StepsPerBlock; step++)
                    {
                        var seconds = timers[i].TimeOne();
                        if (round >= 0)
                        {
                            wall[i].Add(seconds);
                        }
                    }
                    if (round >= 0)
                    {
                        cpu[i] += (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
                    }
                }
            }
            var steps = rounds * StepsPerBlock;
            return [.. timers.Select((t, i) => new DecodeMeasurement(t.Batch, pastTokens, Median(wall[i]),
                threads == 1 ? cpu[i] / steps : null, steps))];
        }
        finally
        {
            foreach (var t in timers)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// The local replica as the step model sees it: the catalog's <c>local</c> instance cut to <paramref name="threads"/>
    /// cores, its bandwidth measured here when the catalog has none.
    /// </summary>
    public static DecoderReplica LocalReplica(Catalog catalog, int threads, NumericFormat precision = NumericFormat.Fp32)
    {
        var target = LlmTarget.Resolve(catalog, "local");
        var instance = target.Instance with { DeviceCount = threads };
        try
        {
            return DecoderReplica.Create(instance, target.Device, precision, 1);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"cannot model this machine: {e.Message}", e);
        }
    }

    /// <summary>The prior's terms for each measured step against its measured time.</summary>
    public static List<Observation> Observe(DecoderStepModel model, IEnumerable<DecodeMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(measurements);
        return [.. measurements.Select(m => new Observation(model.Time(StepLoad.Decode(m.Batch, m.PastTokens)).ToTerms(), m.CostSeconds,
            string.Create(CultureInfo.InvariantCulture, $"{model.Shape.Name} decode batch {m.Batch}, past {m.PastTokens}")))];
    }

    /// <summary>Factors fitted to <paramref name="observations"/>.</summary>
    public static CalibrationFactors Fit(IReadOnlyList<Observation> observations) =>
        Calibrator.Fit(observations, string.Create(CultureInfo.InvariantCulture,
            $"decoder roofline calibrated on {observations.Count} decode step(s) measured here"));

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}
