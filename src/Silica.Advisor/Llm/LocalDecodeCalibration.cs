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
    /// <summary>
    /// Times <paramref name="batches"/> in interleaved rounds (each round runs every batch once, so a slow spell on a
    /// shared machine slows all of them alike), after two warm-up rounds; medians over <paramref name="rounds"/>.
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
            var samples = timers.Select(_ => new List<double>(rounds)).ToList();
            for (var round = -2; round < rounds; round++)
            {
                for (var i = 0; i < timers.Count; i++)
                {
                    var seconds = timers[i].TimeOne();
                    if (round >= 0)
                    {
                        samples[i].Add(seconds);
                    }
                }
            }
            return [.. timers.Select((t, i) => new DecodeMeasurement(t.Batch, pastTokens, Median(samples[i]), rounds))];
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
        return [.. measurements.Select(m => new Observation(model.Time(StepLoad.Decode(m.Batch, m.PastTokens)).ToTerms(), m.MedianSeconds,
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
