using System.Globalization;
using System.Text.RegularExpressions;

namespace Silica.Advisor.Claims;

/// <summary>What a claim compares.</summary>
public enum ClaimMetric
{
    /// <summary>Cost per inference: the claim holds when cost(A)/cost(B) is at most the threshold.</summary>
    Cost,

    /// <summary>Throughput per instance under the SLO: holds when throughput(A)/throughput(B) is at least the threshold.</summary>
    Throughput,
}

/// <summary>
/// A vendor-style claim about two targets, parsed from text such as "inf2 halves cost vs g5", "trn1 is 40% cheaper than
/// g6", "tpu-v6e is 3x cheaper than p5", "g6e has 2x the throughput of g5" or "inf2 costs less than g5".
/// </summary>
/// <param name="Text">The claim as written.</param>
/// <param name="Subject">Target A (instance id, id prefix or device id).</param>
/// <param name="Reference">Target B.</param>
/// <param name="Metric">What is compared.</param>
/// <param name="Threshold">The ratio A/B the claim asserts (0.5 for "halves cost").</param>
public sealed partial record Claim(string Text, string Subject, string Reference, ClaimMetric Metric, double Threshold)
{
    /// <summary>Parses a claim.</summary>
    /// <exception cref="ArgumentException">The text is not in a form Silica understands; the message gives examples.</exception>
    public static Claim Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        Match m;
        if ((m = Halves().Match(t)).Success)
        {
            return new Claim(t, m.Groups["a"].Value, m.Groups["b"].Value, ClaimMetric.Cost, 0.5);
        }
        if ((m = PercentCheaper().Match(t)).Success)
        {
            var pct = Number(m.Groups["n"].Value, t);
            if (pct is <= 0 or >= 100)
            {
                throw new ArgumentException($"claim '{t}': a cost cut must be between 0% and 100%");
            }
            return new Claim(t, m.Groups["a"].Value, m.Groups["b"].Value, ClaimMetric.Cost, 1 - (pct / 100));
        }
        if ((m = TimesCheaper().Match(t)).Success)
        {
            var x = Number(m.Groups["n"].Value, t);
            return x > 0 ? new Claim(t, m.Groups["a"].Value, m.Groups["b"].Value, ClaimMetric.Cost, 1 / x) : throw new ArgumentException($"claim '{t}': the factor must be positive");
        }
        if ((m = TimesThroughput().Match(t)).Success)
        {
            var x = Number(m.Groups["n"].Value, t);
            return x > 0 ? new Claim(t, m.Groups["a"].Value, m.Groups["b"].Value, ClaimMetric.Throughput, x) : throw new ArgumentException($"claim '{t}': the factor must be positive");
        }
        if ((m = CostsLess().Match(t)).Success)
        {
            return new Claim(t, m.Groups["a"].Value, m.Groups["b"].Value, ClaimMetric.Cost, 1.0);
        }
        throw new ArgumentException($"cannot read claim '{t}'; write e.g. \"inf2 halves cost vs g5\", \"trn1 is 40% cheaper than g6\", \"g6e has 2x the throughput of g5\"");
    }

    private static double Number(string s, string claim) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"claim '{claim}': '{s}' is not a number");

    private const string Vs = @"\s+(?:vs\.?|versus|than|of|compared\s+(?:to|with))\s+";

    [GeneratedRegex(@"^(?<a>\S+)\s+halves\s+(?:the\s+)?cost(?:\s+per\s+inference)?" + Vs + @"(?<b>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Halves();

    [GeneratedRegex(@"^(?<a>\S+)\s+(?:is|costs)\s+(?<n>[0-9.]+)\s*%\s+(?:cheaper|less)" + Vs + @"(?<b>\S+)$|^(?<a>\S+)\s+cuts\s+(?:the\s+)?cost\s+by\s+(?<n>[0-9.]+)\s*%" + Vs + @"(?<b>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex PercentCheaper();

    [GeneratedRegex(@"^(?<a>\S+)\s+is\s+(?<n>[0-9.]+)\s*x\s+cheaper" + Vs + @"(?<b>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TimesCheaper();

    [GeneratedRegex(@"^(?<a>\S+)\s+(?:has|gives|delivers)\s+(?<n>[0-9.]+)\s*x\s+(?:the\s+)?throughput" + Vs + @"(?<b>\S+)$|^(?<a>\S+)\s+is\s+(?<n>[0-9.]+)\s*x\s+faster" + Vs + @"(?<b>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TimesThroughput();

    [GeneratedRegex(@"^(?<a>\S+)\s+(?:costs\s+less|is\s+cheaper)" + Vs + @"(?<b>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex CostsLess();
}
