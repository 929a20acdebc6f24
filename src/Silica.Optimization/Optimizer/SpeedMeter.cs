using System.Diagnostics;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;
using Silica.Optimization.Data;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Optimizer;

/// <summary>
/// Times two models on the same input in one process with the <c>cpu</c> backend: a warm-up, then runs that alternate
/// between the two models so machine noise (other processes, frequency changes) lands on both, and the medians.
/// Outputs are pre-allocated once, so the loop times the model, not allocation.
/// </summary>
internal static class SpeedMeter
{
    public static SpeedComparison Compare(OnnxModel original, OnnxModel optimized, Sample sample, TimeSpan budget, int minRuns = 5, int maxRuns = 2000)
    {
        var backend = BackendRegistry.Default.Get("cpu");
        // Spinning would let one session's idle threads steal the core the other needs on a small machine.
        var options = new SessionOptions { AllowSpinning = false };
        using var a = backend.CreateSession(original.ToBytes(), options with { ModelName = "original" });
        using var b = backend.CreateSession(optimized.ToBytes(), options with { ModelName = "optimized" });
        var inputsA = InputsFor(a, sample);
        var inputsB = InputsFor(b, sample);
        var outputsA = OutputsFor(original, a, inputsA);
        var outputsB = OutputsFor(optimized, b, inputsB);
        for (var i = 0; i < 3; i++)
        {
            a.Run(inputsA, outputsA);
            b.Run(inputsB, outputsB);
        }
        var timesA = new List<double>();
        var timesB = new List<double>();
        var deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        while (timesA.Count < maxRuns && (timesA.Count < minRuns || Stopwatch.GetTimestamp() < deadline))
        {
            timesA.Add(Time(a, inputsA, outputsA));
            timesB.Add(Time(b, inputsB, outputsB));
        }
        var batch = inputsA.Length > 0 && inputsA[0].Rank > 0 ? inputsA[0].Shape[0] : 1;
        return new SpeedComparison(backend.Device.Name, Environment.ProcessorCount, batch, Median(timesA), Median(timesB), timesA.Count);
    }

    private static double Time(ISession session, Tensor[] inputs, Tensor[] outputs)
    {
        var start = Stopwatch.GetTimestamp();
        session.Run(inputs, outputs);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static Tensor[] InputsFor(ISession session, Sample sample) =>
        [.. session.Inputs.Select(i => sample.Inputs.TryGetValue(i.Name, out var t)
            ? t
            : throw new ArgumentException($"sample '{sample.Id}' has no tensor for input '{i.Name}'"))];

    /// <summary>Output tensors sized by Silica's shape inference on a private copy of the graph, bound to the input shapes.</summary>
    private static Tensor[] OutputsFor(OnnxModel model, ISession session, Tensor[] inputs)
    {
        var copy = OnnxModel.Load(model.ToBytes());
        for (var i = 0; i < session.Inputs.Count; i++)
        {
            var value = copy.Graph.FindValue(session.Inputs[i].Name)
                ?? throw new ArgumentException($"the model graph has no input '{session.Inputs[i].Name}'");
            value.Type = new TensorType(inputs[i].ElementType, TensorShape.Of(inputs[i].Shape));
        }
        var result = ShapeInferencer.Infer(copy);
        var outputs = new Tensor[session.Outputs.Count];
        for (var k = 0; k < outputs.Length; k++)
        {
            var name = session.Outputs[k].Name;
            if (copy.Graph.FindValue(name)?.Type?.Shape is not { IsStatic: true } shape)
            {
                var why = result.Diagnostics.Count > 0 ? $": {result.Diagnostics[0].Message}" : "";
                throw new ArgumentException($"cannot determine the shape of output '{name}' to time the model{why}");
            }
            outputs[k] = Tensor.Allocate(session.Outputs[k].ElementType, shape.ToArray());
        }
        return outputs;
    }
}
