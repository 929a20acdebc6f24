using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// Runs a PP-OCR recognizer session on line images or on prepared samples, in padded batches, and decodes with CTC.
/// The session's output must be float[batch, width / 8, classes] with the dictionary's class count.
/// </summary>
public sealed class OcrRecognizer
{
    private readonly ISession _session;
    private readonly CtcDecoder _decoder;

    /// <summary>Wraps a recognizer session (not owned: the caller disposes it).</summary>
    /// <param name="session">A PP-OCR recognizer: one input float[n,3,48,w], one output float[n,w/8,classes].</param>
    /// <param name="dictionary">The recognizer's dictionary.</param>
    /// <param name="batchSize">Lines per run; PaddleOCR uses 6.</param>
    /// <exception cref="ArgumentException">The session does not look like a recognizer, or its class count differs from the dictionary's.</exception>
    public OcrRecognizer(ISession session, OcrDictionary dictionary, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (session.Inputs.Count != 1 || session.Outputs.Count < 1)
        {
            throw new ArgumentException($"{session.ModelName} has {session.Inputs.Count} inputs and {session.Outputs.Count} outputs; a recognizer has one input and one output");
        }
        RecognitionPreprocessing.CheckInput(session.Inputs[0]);
        var output = session.Outputs[0];
        if (output.ElementType != TensorDataType.Float || output.Shape.Rank != 3)
        {
            throw new ArgumentException($"{session.ModelName}'s output is {output}; a recognizer gives float[n,steps,classes]");
        }
        if (output.Shape[2].Value is { } classes)
        {
            dictionary.CheckClassCount(classes);
        }
        _session = session;
        _decoder = new CtcDecoder(dictionary);
        BatchSize = batchSize;
    }

    /// <summary>Lines per run.</summary>
    public int BatchSize { get; }

    /// <summary>Reads line images. Lines are batched in order of aspect ratio (as PaddleOCR does, so padding stays small).</summary>
    public IReadOnlyList<RecognizedText> Recognize(IReadOnlyList<OcrImage> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new RecognizedText[lines.Count];
        var order = Enumerable.Range(0, lines.Count).OrderBy(i => (double)lines[i].Width / lines[i].Height).ToArray();
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var batch = order.Skip(start).Take(BatchSize).Select(i => lines[i]).ToArray();
            using var input = RecognitionPreprocessing.ToTensor(batch, RecognitionPreprocessing.BatchWidth(batch));
            using var output = Run(input);
            var decoded = _decoder.DecodeBatch(output);
            for (var k = 0; k < batch.Length; k++)
            {
                result[order[start + k]] = decoded[k];
            }
        }
        return result;
    }

    /// <summary>
    /// Runs every sample (each float[1,3,48,w] under the session's input name; samples of equal width are stacked
    /// into batches) and returns each sample's output, as an accuracy metric takes them.
    /// </summary>
    /// <exception cref="ArgumentException">A sample lacks the session's input.</exception>
    public IReadOnlyList<IReadOnlyList<Tensor>> Run(SampleSet samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var name = _session.Inputs[0].Name;
        var outputs = new IReadOnlyList<Tensor>[samples.Samples.Count];
        var i = 0;
        while (i < samples.Samples.Count)
        {
            var first = Input(samples.Samples[i], name);
            var j = i + 1;
            while (j < samples.Samples.Count && j - i < BatchSize && Input(samples.Samples[j], name).Shape.SequenceEqual(first.Shape) && first.Shape[0] == 1)
            {
                j++;
            }
            using var batch = Stack(samples.Samples, i, j, name);
            using var output = Run(batch);
            var per = output.AsFloats().Length / (j - i);
            for (var k = i; k < j; k++)
            {
                var data = output.AsFloats().Slice((k - i) * per, per).ToArray();
                outputs[k] = [Tensor.FromArray(data, [1, output.Shape[1], output.Shape[2]])];
            }
            i = j;
        }
        return outputs;
    }

    private Tensor Run(Tensor input)
    {
        var steps = input.Shape[3] / RecognitionPreprocessing.WidthStep;
        var output = Tensor.Allocate(TensorDataType.Float, [input.Shape[0], steps, _decoder.Dictionary.ClassCount]);
        _session.Run([input], [output]);
        return output;
    }

    private static Tensor Input(Sample sample, string name) =>
        sample.Inputs.TryGetValue(name, out var t) ? t : throw new ArgumentException($"sample {sample.Id} has no input '{name}'");

    private static Tensor Stack(IReadOnlyList<Sample> samples, int from, int to, string name)
    {
        var first = Input(samples[from], name);
        if (to - from == 1)
        {
            // Reuse the sample's own tensor; a copy keeps disposal uniform.
            return Tensor.FromArray(first.AsFloats().ToArray(), first.Shape);
        }
        var per = first.AsFloats().Length;
        var data = new float[per * (to - from)];
        for (var k = from; k < to; k++)
        {
            Input(samples[k], name).AsFloats().CopyTo(data.AsSpan((k - from) * per, per));
        }
        long[] shape = [to - from, first.Shape[1], first.Shape[2], first.Shape[3]];
        return Tensor.FromArray(data, shape);
    }
}
