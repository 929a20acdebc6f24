using Silica.Runtime.Tensors;

namespace Silica.Optimization.Accuracy;

/// <summary>Compares two runs output by output: cosine (mean and worst sample) and max relative error.</summary>
internal static class OutputComparer
{
    public static IReadOnlyList<OutputComparison> Compare(IReadOnlyList<string>? outputNames,
        IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        if (reference.Count != candidate.Count)
        {
            throw new ArgumentException($"the runs cover {reference.Count} and {candidate.Count} samples");
        }
        if (reference.Count == 0)
        {
            return [];
        }
        var outputs = reference[0].Count;
        var result = new OutputComparison[outputs];
        for (var o = 0; o < outputs; o++)
        {
            double sum = 0, min = double.PositiveInfinity, rel = 0;
            for (var s = 0; s < reference.Count; s++)
            {
                var a = OutputMath.ToDoubles(reference[s][o]);
                var b = OutputMath.ToDoubles(candidate[s][o]);
                var cos = OutputMath.Cosine(a, b);
                cos = double.IsNaN(cos) ? 0 : cos;
                sum += cos;
                min = Math.Min(min, cos);
                rel = Math.Max(rel, OutputMath.MaxRelativeError(a, b));
            }
            var name = outputNames is not null && o < outputNames.Count ? outputNames[o] : $"output {o}";
            result[o] = new OutputComparison(name, sum / reference.Count, min, rel);
        }
        return result;
    }
}
