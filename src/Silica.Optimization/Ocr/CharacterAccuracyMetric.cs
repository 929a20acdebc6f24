using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// OCR recognition's task metric: both models' outputs (float[batch, steps, classes], the first output) are CTC-decoded
/// with the dictionary and scored against the labels as 1 − Σedits / Σcharacters over the whole set. Reference is
/// the original model's character accuracy, Candidate the optimized model's; a sample whose batch holds several
/// lines carries them in its label separated by newlines.
/// </summary>
public sealed class CharacterAccuracyMetric : IAccuracyMetric
{
    private readonly CtcDecoder _decoder;

    /// <summary>Creates the metric for a recognizer with this dictionary.</summary>
    public CharacterAccuracyMetric(OcrDictionary dictionary) => _decoder = new CtcDecoder(dictionary);

    /// <inheritdoc />
    public string Name => "character accuracy";

    /// <inheritdoc />
    public MetricScore Score(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return new MetricScore(Name, Evaluate(samples, reference).Accuracy, Evaluate(samples, candidate).Accuracy);
    }

    /// <summary>Scores one model's outputs against the labels, with the counts behind the figure.</summary>
    /// <exception cref="ArgumentException">Counts differ, a sample has no label, or its label has the wrong number of lines.</exception>
    public CharacterAccuracy Evaluate(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> outputs)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count != samples.Samples.Count)
        {
            throw new ArgumentException($"{outputs.Count} outputs for {samples.Samples.Count} samples", nameof(outputs));
        }
        var recognized = new List<string>();
        var truth = new List<string>();
        for (var i = 0; i < outputs.Count; i++)
        {
            var sample = samples.Samples[i];
            var label = sample.Label ?? throw new ArgumentException($"sample {sample.Id} has no label; character accuracy needs the true text", nameof(samples));
            if (outputs[i].Count == 0)
            {
                throw new ArgumentException($"no output for sample {sample.Id}", nameof(outputs));
            }
            var decoded = _decoder.DecodeBatch(outputs[i][0]);
            var lines = decoded.Count == 1 ? [label] : label.Split('\n');
            if (lines.Length != decoded.Count)
            {
                throw new ArgumentException($"sample {sample.Id}: {decoded.Count} outputs in the batch but {lines.Length} label lines", nameof(samples));
            }
            recognized.AddRange(decoded.Select(d => d.Text));
            truth.AddRange(lines);
        }
        return CharacterAccuracy.Of(recognized, truth);
    }
}
