using Silica.Optimization.Data;
using Silica.Optimization.Optimizer;

namespace Silica.Cli.Commands.Optimize;

/// <summary>A parsed optimize invocation.</summary>
internal sealed record OptimizeOptions(
    string Model,
    TargetPrecision Precision,
    string OutputPath,
    string? Calibration,
    string? Evaluation,
    ImagePreprocessing? Preprocess,
    string Method,
    double? Budget,
    IReadOnlySet<string>? KeepFp32Ops,
    string Passes,
    Dictionary<string, long> Bindings,
    string? JsonPath,
    TimeSpan SpeedTime,
    int Seed);
