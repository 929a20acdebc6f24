using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// PaddleOCR's text-direction classifier (<c>ch_ppocr_mobile_v2.0_cls</c>): lines resized to 48 high, at most 192
/// wide, normalized as for recognition; output float[n, 2] over the labels "0" and "180". A line labelled "180"
/// with probability above <see cref="Threshold"/> is turned half a turn before recognition.
/// </summary>
public sealed class TextDirectionClassifier
{
    /// <summary>The classifier's input width.</summary>
    public const int Width = 192;

    private readonly ISession _session;

    /// <summary>Wraps a classifier session (not owned).</summary>
    /// <exception cref="ArgumentException">The session does not take float[n,3,48,192] or give float[n,2].</exception>
    public TextDirectionClassifier(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Inputs.Count != 1 || session.Outputs.Count < 1 || session.Outputs[0].ElementType != TensorDataType.Float)
        {
            throw new ArgumentException($"{session.ModelName} is not a direction classifier (one float[n,3,48,192] input, float[n,2] output)");
        }
        RecognitionPreprocessing.CheckInput(session.Inputs[0]);
        _session = session;
    }

    /// <summary>PaddleOCR's <c>cls_thresh</c>.</summary>
    public double Threshold { get; init; } = 0.9;

    /// <summary>For each line, whether it is upside down.</summary>
    public IReadOnlyList<bool> IsUpsideDown(IReadOnlyList<OcrImage> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new bool[lines.Count];
        const int batch = 8;
        for (var start = 0; start < lines.Count; start += batch)
        {
            var chunk = lines.Skip(start).Take(batch).ToArray();
            using var input = RecognitionPreprocessing.ToTensor(chunk, Width);
            using var output = Tensor.Allocate(TensorDataType.Float, [chunk.Length, 2]);
            _session.Run([input], [output]);
            var p = output.AsFloats();
            for (var k = 0; k < chunk.Length; k++)
            {
                result[start + k] = p[(k * 2) + 1] > p[k * 2] && p[(k * 2) + 1] > Threshold;
            }
        }
        return result;
    }
}
