using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;

namespace Silica.Optimization.Calibration;

/// <summary>
/// Runs the model over the calibration set with the wanted intermediate tensors exposed as extra graph
/// outputs (on a copy) and collects their statistics: one pass for min/max, and for percentile and entropy a
/// second pass that fills histograms over the range the first pass found.
/// </summary>
internal static class ActivationCalibrator
{
    public static Dictionary<string, TensorStatistics> Collect(OnnxModel model, IReadOnlyCollection<string> tensors, SampleSet calibration,
        bool histograms, IProgress<int>? progress)
    {
        if (calibration.Samples.Count == 0)
        {
            throw new ArgumentException("the calibration set is empty", nameof(calibration));
        }
        var stats = tensors.Distinct(StringComparer.Ordinal).ToDictionary(t => t, _ => new TensorStatistics(), StringComparer.Ordinal);
        if (stats.Count == 0)
        {
            return stats;
        }
        var copy = OnnxModel.Load(model.ToBytes());
        foreach (var name in stats.Keys)
        {
            var value = copy.Graph.FindValue(name) ?? throw new ArgumentException($"the model has no tensor '{name}'");
            if (!value.IsGraphOutput)
            {
                // ORT needs only the element type of an extra output; the shape may stay open.
                value.Type ??= new TensorType(TensorDataType.Float, null);
                copy.Graph.AddOutput(value);
            }
        }
        var names = stats.Keys.ToArray();
        using var runner = new OrtModelRunner(copy.ToBytes(), "calibration");
        var done = 0;
        var passes = histograms ? 2 : 1;
        for (var pass = 0; pass < passes; pass++)
        {
            if (pass == 1)
            {
                foreach (var s in stats.Values)
                {
                    s.StartHistogram();
                }
            }
            foreach (var sample in calibration.Samples)
            {
                var outputs = runner.Run(sample.Inputs, names, sample.Id);
                for (var i = 0; i < names.Length; i++)
                {
                    if (outputs[i].ElementType != TensorDataType.Float)
                    {
                        throw new InvalidOperationException($"tensor '{names[i]}' is {outputs[i].ElementType.DisplayName()}, not float");
                    }
                    var values = outputs[i].AsFloats();
                    if (pass == 0)
                    {
                        stats[names[i]].AddRange(values);
                    }
                    else
                    {
                        stats[names[i]].AddHistogram(values);
                    }
                    outputs[i].Dispose();
                }
                progress?.Report(++done);
            }
        }
        return stats;
    }
}
