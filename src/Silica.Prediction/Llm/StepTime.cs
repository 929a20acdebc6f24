namespace Silica.Prediction.Llm;

/// <summary>
/// A predicted step split into the parts calibration scales separately, in seconds before calibration: compute-bound
/// matrix products, compute-bound attention, memory-bound streaming (weights, KV cache), and fixed costs (kernel
/// launches, all-reduces across tensor-parallel devices).
/// </summary>
/// <param name="Gemm">Compute-bound dense layers.</param>
/// <param name="Attention">Compute-bound attention.</param>
/// <param name="Memory">Memory-bound parts: the larger of compute and memory time, where memory is larger.</param>
/// <param name="Overhead">Kernel launches and the fixed cost of a step.</param>
/// <param name="Communication">All-reduces across the tensor-parallel devices.</param>
public readonly record struct StepTime(double Gemm, double Attention, double Memory, double Overhead, double Communication)
{
    /// <summary>The total with each part multiplied by its calibration factor (communication goes with the overhead).</summary>
    public double Seconds(CalibrationFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return (factors[TimeTerm.Gemm] * Gemm) + (factors[TimeTerm.OtherCompute] * Attention) + (factors[TimeTerm.Memory] * Memory)
            + (factors[TimeTerm.Overhead] * (Overhead + Communication));
    }

    /// <summary>The parts as calibration terms (attention as <see cref="TimeTerm.OtherCompute"/>, communication as overhead).</summary>
    public PredictionTerms ToTerms()
    {
        var terms = new PredictionTerms();
        terms.Add(TimeTerm.Gemm, Onnx.Cost.OpClass.Gemm, Gemm);
        terms.Add(TimeTerm.OtherCompute, Onnx.Cost.OpClass.Attention, Attention);
        terms.Add(TimeTerm.Memory, null, Memory);
        terms.Add(TimeTerm.Overhead, null, Overhead + Communication);
        return terms;
    }
}
