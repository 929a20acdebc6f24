using System.Globalization;
using Silica.Runtime.Batching;

namespace Silica.Cli;

/// <summary>Parsers for the CLI's value syntaxes: durations (<c>2ms</c>, <c>10s</c>), lists (<c>1,4,16</c>), batcher specs.</summary>
internal static class Parsing
{
    /// <summary>Parses <c>250us</c>, <c>2ms</c>, <c>1.5s</c>, <c>2m</c>; a bare number is milliseconds.</summary>
    public static TimeSpan Duration(string text, string flag)
    {
        var t = text.Trim().ToLowerInvariant();
        (string number, double scaleMs) = t switch
        {
            _ when t.EndsWith("us", StringComparison.Ordinal) => (t[..^2], 0.001),
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 1),
            _ when t.EndsWith('s') => (t[..^1], 1000),
            _ when t.EndsWith('m') => (t[..^1], 60_000),
            _ => (t, 1),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0 || v > 1e9)
        {
            throw new UsageException($"{flag} expects a duration like 100ms or 10s; got '{text}'");
        }
        return TimeSpan.FromMilliseconds(v * scaleMs);
    }

    /// <summary>Parses a comma-separated list of positive integers.</summary>
    public static List<int> IntList(string text, string flag, int min = 1)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > 1_000_000)
            {
                throw new UsageException($"{flag} expects a comma-separated list of integers ≥ {min}; got '{part}'");
            }
            list.Add(v);
        }
        if (list.Count == 0)
        {
            throw new UsageException($"{flag} needs at least one value");
        }
        return list;
    }

    /// <summary>Parses <c>max=16,delay=2ms[,queue=1024][,timeout=30s][,instances=2][,preferred=4/8]</c>.</summary>
    public static BatcherOptions Batching(string text)
    {
        var options = new BatcherOptions();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--batching expects key=value pairs like max=16,delay=2ms; got '{part}'");
            }
            var key = part[..eq];
            var value = part[(eq + 1)..];
            options = key switch
            {
                "max" => options with { MaxBatchSize = IntList(value, "--batching max")[0] },
                "delay" => options with { MaxQueueDelay = Duration(value, "--batching delay") },
                "queue" => options with { MaxQueueSize = IntList(value, "--batching queue")[0] },
                "timeout" => options with { QueueTimeout = Duration(value, "--batching timeout") },
                "instances" => options with { InstanceCount = IntList(value, "--batching instances")[0] },
                "preferred" => options with { PreferredBatchSizes = IntList(value.Replace('/', ','), "--batching preferred") },
                _ => throw new UsageException($"--batching has no setting '{key}' (use max, delay, queue, timeout, instances, preferred)"),
            };
        }
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--batching: {e.Message}");
        }
        return options;
    }
}
