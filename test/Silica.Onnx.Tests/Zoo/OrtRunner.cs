using Microsoft.ML.OnnxRuntime;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>One output of an ONNX Runtime run, copied out of native memory.</summary>
internal sealed record OrtOutput(string Name, long[] Shape, float[] Values);

/// <summary>Runs a model file in ONNX Runtime with the given int64 and float inputs.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;

    public OrtRunner(string path)
    {
        // Two threads: the test machine has two cores shared with other jobs.
        _options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        _session = new InferenceSession(path, _options);
    }

    public IReadOnlyList<string> InputNames => _session.InputNames;

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    public OrtOutput[] Run(IReadOnlyDictionary<string, (long[] Shape, Array Data)> inputs)
    {
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => inputs[n] switch
        {
            (var s, long[] d) => OrtValue.CreateTensorValueFromMemory(d, s),
            (var s, float[] d) => OrtValue.CreateTensorValueFromMemory(d, s),
            _ => throw new ArgumentException($"unsupported input type for '{n}'"),
        }).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, _session.OutputNames);
            return [.. outputs.Select((o, i) => new OrtOutput(
                _session.OutputNames[i],
                o.GetTensorTypeAndShape().Shape,
                o.GetTensorDataAsSpan<float>().ToArray()))];
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
