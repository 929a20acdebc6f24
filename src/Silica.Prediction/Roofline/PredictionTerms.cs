using Silica.Onnx.Cost;

namespace Silica.Prediction;

/// <summary>
/// A prior prediction broken into <see cref="TimeTerm"/>s and operator classes, in seconds. Calibration multiplies each
/// term by its factor; with all factors 1 the total is the plain roofline sum of max(compute, memory) plus overheads.
/// </summary>
public sealed class PredictionTerms
{
    private readonly double[] _terms = new double[Enum.GetValues<TimeTerm>().Length];
    private readonly Dictionary<(OpClass Class, TimeTerm Term), double> _byClass = [];

    /// <summary>Seconds of one term under the prior.</summary>
    public double this[TimeTerm term] => _terms[(int)term];

    /// <summary>Adds seconds to a term, attributed to an operator class (null for overheads).</summary>
    public void Add(TimeTerm term, OpClass? opClass, double seconds)
    {
        _terms[(int)term] += seconds;
        if (opClass is { } c)
        {
            _byClass[(c, term)] = _byClass.GetValueOrDefault((c, term)) + seconds;
        }
    }

    /// <summary>The total with each term multiplied by its factor.</summary>
    public double Total(CalibrationFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        double sum = 0;
        foreach (var term in Enum.GetValues<TimeTerm>())
        {
            sum += factors[term] * _terms[(int)term];
        }
        return sum;
    }

    /// <summary>Seconds per operator class (lower-case names) with the factors applied, plus <c>overhead</c>.</summary>
    public IReadOnlyDictionary<string, double> ByOpClass(CalibrationFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var ((cls, term), seconds) in _byClass)
        {
            var key = cls.ToString().ToLowerInvariant();
            result[key] = result.GetValueOrDefault(key) + (factors[term] * seconds);
        }
        result["overhead"] = factors[TimeTerm.Overhead] * this[TimeTerm.Overhead];
        return result;
    }

    /// <summary>The terms as a vector in <see cref="TimeTerm"/> order.</summary>
    public double[] ToVector() => (double[])_terms.Clone();
}
