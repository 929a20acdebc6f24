using Silica.Onnx.Graph;
using Silica.Optimization.Data;

namespace Silica.Optimization.Quantization;

/// <summary>Quantizes a model in place: INT8 static (QDQ), INT8 dynamic (transformer MatMuls) or FP8 E4M3 (QDQ).</summary>
public static class Quantizer
{
    /// <summary>Rewrites <paramref name="model"/> in place and reports what changed.</summary>
    /// <param name="model">The FP32 model; changed in place (serialize a copy first to keep the original).</param>
    /// <param name="options">Mode, calibration method and excluded nodes.</param>
    /// <param name="calibration">Samples to calibrate activation ranges on; required for INT8 static and FP8, unused for dynamic.</param>
    /// <param name="progress">
    /// Receives the number of calibration runs done, up to <see cref="QuantizationOptions.CalibrationPasses"/> times the sample count.
    /// </param>
    /// <exception cref="ArgumentException">Calibration data is missing or empty for a mode that needs it, or an option is out of range.</exception>
    /// <exception cref="Silica.Runtime.Backends.InferenceException">The model fails to run on a calibration sample (wrong shape or dtype).</exception>
    /// <exception cref="NotSupportedException">FP8 needs opset 19 and the model uses an operator that cannot be upgraded.</exception>
    public static QuantizationReport Quantize(OnnxModel model, QuantizationOptions options, SampleSet? calibration, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Percentile is not (> 0 and <= 100))
        {
            throw new ArgumentException($"percentile must be in (0, 100], got {options.Percentile}", nameof(options));
        }
        if (options.Mode != QuantizationMode.Int8Dynamic && (calibration is null || calibration.Samples.Count == 0))
        {
            throw new ArgumentException($"{options.Mode} quantization needs calibration samples; none were given", nameof(calibration));
        }
        var report = new ReportBuilder();
        var before = ReportBuilder.WeightBytes(model.Graph);
        switch (options.Mode)
        {
            case QuantizationMode.Int8Static:
                StaticInt8Quantizer.Apply(model, options, calibration!, progress, report);
                break;
            case QuantizationMode.Int8Dynamic:
                DynamicInt8Quantizer.Apply(model, options, report);
                break;
            case QuantizationMode.Fp8:
                Fp8Quantizer.Apply(model, options, calibration!, progress, report);
                break;
            default:
                throw new ArgumentException($"unknown quantization mode {options.Mode}", nameof(options));
        }
        if (calibration is { IsSynthetic: true } && options.Mode != QuantizationMode.Int8Dynamic)
        {
            report.Notes.Add($"calibrated on synthetic data ({calibration.Source}): ranges may not match real inputs");
        }
        return new QuantizationReport(options.Mode, report.Quantized, report.Skipped, report.Scales, before,
            ReportBuilder.WeightBytes(model.Graph), report.Notes);
    }
}
