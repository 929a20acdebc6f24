using Silica.Optimization.Accuracy;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.MixedPrecision;

/// <summary>
/// How far a candidate's outputs are from the original's, as one continuous number (0 = identical), so layers can
/// be ranked even when the task metric does not move on a few samples (character accuracy moves in whole
/// characters). Outputs whose rows (last axis) are probability distributions — a recognizer's per-step softmax, a
/// classifier's probabilities — are compared by the mean KL divergence KL(original ‖ candidate) per row: that is
/// what decides which class wins at each step. Any other output by its squared error relative to its energy,
/// ‖c − r‖² / ‖r‖². The value is the mean over samples and outputs.
/// </summary>
internal sealed class OutputDistortion
{
    /// <summary>Floor for candidate probabilities inside the log: a class the original gives mass and the candidate 0.</summary>
    private const double Epsilon = 1e-8;

    private readonly bool[] _probabilities;

    private OutputDistortion(bool[] probabilities) => _probabilities = probabilities;

    /// <summary>Describes the measure for reports, e.g. "KL divergence per output row".</summary>
    public string Kind => _probabilities.All(p => p) ? "mean KL divergence of the output distributions per row"
        : _probabilities.Any(p => p) ? "mean KL divergence (probability outputs) and relative squared error (others)"
        : "relative squared error of the outputs";

    /// <summary>Chooses per output, from the original's outputs, whether its rows are distributions.</summary>
    public static OutputDistortion For(IReadOnlyList<IReadOnlyList<Tensor>> reference)
    {
        var outputs = reference.Count == 0 ? 0 : reference[0].Count;
        var probabilities = new bool[outputs];
        for (var o = 0; o < outputs; o++)
        {
            probabilities[o] = reference.All(sample => IsDistribution(sample[o]));
        }
        return new OutputDistortion(probabilities);
    }

    /// <summary>The mean distortion of <paramref name="candidate"/> against <paramref name="reference"/> over the first samples both hold.</summary>
    public double Measure(IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        double sum = 0;
        var count = 0;
        for (var s = 0; s < Math.Min(reference.Count, candidate.Count); s++)
        {
            for (var o = 0; o < _probabilities.Length; o++)
            {
                var r = OutputMath.ToDoubles(reference[s][o]);
                var c = OutputMath.ToDoubles(candidate[s][o]);
                if (r.Length != c.Length)
                {
                    throw new ArgumentException($"output {o} of sample {s} differs in size ({r.Length} vs {c.Length} elements)", nameof(candidate));
                }
                sum += _probabilities[o] ? KlPerRow(r, c, RowLength(reference[s][o])) : RelativeSquaredError(r, c);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private static int RowLength(Tensor t) => t.Rank == 0 ? 1 : (int)t.Shape[t.Rank - 1];

    private static double KlPerRow(double[] r, double[] c, int row)
    {
        double total = 0;
        var rows = r.Length / row;
        for (var k = 0; k < rows; k++)
        {
            double kl = 0;
            for (var i = k * row; i < (k + 1) * row; i++)
            {
                if (r[i] > 0)
                {
                    kl += r[i] * Math.Log(r[i] / Math.Max(c[i], Epsilon));
                }
            }
            total += double.IsNaN(kl) ? double.PositiveInfinity : Math.Max(0, kl);
        }
        return rows == 0 ? 0 : total / rows;
    }

    private static double RelativeSquaredError(double[] r, double[] c)
    {
        double err = 0, energy = 0;
        for (var i = 0; i < r.Length; i++)
        {
            var d = c[i] - r[i];
            err += d * d;
            energy += r[i] * r[i];
        }
        if (double.IsNaN(err))
        {
            return double.PositiveInfinity;
        }
        return err == 0 ? 0 : energy == 0 ? err / r.Length : err / energy;
    }

    /// <summary>Non-negative rows of more than one element that each sum to 1 (within float rounding).</summary>
    private static bool IsDistribution(Tensor t)
    {
        if (t.ElementType is not (Onnx.Model.TensorDataType.Float or Onnx.Model.TensorDataType.Double or Onnx.Model.TensorDataType.Float16)
            || t.Rank == 0 || t.ElementCount == 0)
        {
            return false;
        }
        var row = RowLength(t);
        if (row < 2)
        {
            return false;
        }
        var v = OutputMath.ToDoubles(t);
        for (var k = 0; k < v.Length / row; k++)
        {
            double sum = 0;
            for (var i = k * row; i < (k + 1) * row; i++)
            {
                if (v[i] < 0 || double.IsNaN(v[i]))
                {
                    return false;
                }
                sum += v[i];
            }
            if (Math.Abs(sum - 1) > 1e-2)
            {
                return false;
            }
        }
        return true;
    }
}
