using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Interop;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>
/// Finds where a GPU run goes wrong: runs the compiled plan one step at a time, downloads each step's output, and
/// compares it with the C# reference interpreter's value after the same step. The first steps whose relative error
/// exceeds the tolerance name the kernel to fix.
/// </summary>
internal static class StepDiagnostics
{
    public static IReadOnlyList<string> Compare(CompiledPlan compiled, CudaStream stream, IReadOnlyList<byte[]> inputs, double tolerance, int maxReports)
    {
        var plan = compiled.Plan;
        var reference = new PlanInterpreter(plan);
        var expected = new Dictionary<int, byte[]>();
        reference.AfterStep = (i, step) => expected[i] = reference.BufferBytes(OutputOf(step));
        reference.Run(inputs);

        for (var i = 0; i < inputs.Count; i++)
        {
            CudaMemory.CopyHostToDevice(compiled.PointerOf(plan.Inputs[i]), inputs[i]);
        }
        var reports = new List<string>();
        var opsByStep = compiled.OpsByStep;
        for (var s = 0; s < plan.Steps.Count && reports.Count < maxReports; s++)
        {
            foreach (var op in opsByStep[s])
            {
                op.Enqueue(stream);
            }
            stream.Synchronize();
            var step = plan.Steps[s];
            var y = plan[OutputOf(step)];
            var actual = new byte[y.ByteSize];
            CudaMemory.CopyDeviceToHost(actual, compiled.PointerOf(y.Id));
            var (maxAbs, scale, firstBad) = Difference(Decode(actual, y.Type), Decode(expected[s], y.Type));
            var rel = maxAbs / Math.Max(scale, 1e-12);
            if (!(rel <= tolerance))
            {
                reports.Add($"step {s} {step.GetType().Name} '{step.Name}' → {y}: max |Δ| {maxAbs:G3} = {rel:P2} of max |ref| {scale:G3} (first bad element {firstBad})");
            }
        }
        return reports;
    }

    public static int OutputOf(Step step) => StepBuffers.Writes(step);

    // Integer outputs go through float too: a diagnosis only needs to see which step is off.
    public static double[] Decode(byte[] bytes, TensorDataType type) => [.. HostTensorMath.DecodeFloats(bytes, type).Select(v => (double)v)];

    /// <summary>Largest absolute difference, largest reference magnitude, and the first index off by more than 1% of that magnitude.</summary>
    public static (double MaxAbs, double Scale, long FirstBad) Difference(double[] actual, double[] expected)
    {
        double maxAbs = 0, scale = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        long first = -1;
        for (var i = 0; i < Math.Min(actual.Length, expected.Length); i++)
        {
            var d = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(d))
            {
                d = double.PositiveInfinity;
            }
            if (d > maxAbs)
            {
                maxAbs = d;
            }
            if (first < 0 && d > 0.01 * Math.Max(scale, 1e-12))
            {
                first = i;
            }
        }
        return (maxAbs, scale, first);
    }
}
