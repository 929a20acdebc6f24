using Silica.Onnx.Graph;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;

namespace Silica.Optimization.Optimizer;

public static partial class ModelOptimizer
{
    /// <summary>
    /// The conversion <see cref="Run"/> makes for <paramref name="precision"/>, without the fallback, the write or the
    /// speed measurement, for <see cref="PrecisionGate"/>: the same converter, quantizer and BF16 emulation, so a
    /// precision the gate passes is the one <c>silica optimize</c> writes.
    /// </summary>
    /// <returns>The model to score (the emulation for BF16), how many nodes were converted, and the converter's notes.</returns>
    internal static (OnnxModel Scored, int Converted, IReadOnlyList<string> Notes) BuildForGate(OnnxModel original, byte[] passedBytes,
        TargetPrecision precision, IReadOnlyDictionary<string, long> bindings, SampleSet? calibration, CalibrationMethod method)
    {
        // BuildCandidate reads only the conversion settings of the request; nothing is written, so no output path.
        var request = new OptimizeRequest
        {
            Model = original,
            ModelName = original.Graph.Name,
            Precision = precision,
            OutputPath = "",
            Bindings = bindings,
            CalibrationMethod = method,
        };
        var candidate = BuildCandidate(passedBytes, request, precision.NeedsCalibration() ? calibration : null, NoNodes, progress: null);
        var scored = precision == TargetPrecision.Bf16 ? Emulate(passedBytes, request, NoNodes) : candidate.Model;
        return (scored, candidate.Converted.Sum(c => c.Count), candidate.Notes);
    }
}
