using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Tensor = Silica.Runtime.Tensors.Tensor;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Silica.Optimization.Evaluation;

/// <summary>
/// Runs a model in ONNX Runtime on the CPU and returns outputs that ONNX Runtime allocates. The backend's
/// <see cref="ISession"/> wants output tensors shaped before the run; calibration asks for every intermediate
/// tensor and OCR detection outputs follow the image size, so here ONNX Runtime sizes them.
/// </summary>
internal sealed class OrtModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    /// <param name="modelBytes">The serialized model.</param>
    /// <param name="modelName">Name for messages.</param>
    /// <param name="float8">
    /// The model holds float8 tensors: run it with basic graph optimizations only. ORT 1.31 mishandles float8
    /// QDQ in its extended optimizations: its QDQ fusions turn float8 Q/DQ around MatMul/Gemm into int8 kernels
    /// (MatMulIntegerToFloat, QGemm) and then reject the graph, and with those fusions off the remaining
    /// level-2 rewrites still compute a float8 DequantizeLinear → Gemm wrongly (outputs unrelated to the
    /// unoptimized run's). Basic optimizations give the same outputs as none.
    /// </param>
    public OrtModelRunner(byte[] modelBytes, string modelName, bool float8 = false)
    {
        ModelName = modelName;
        using var options = new OrtSessionOptions
        {
            GraphOptimizationLevel = float8 ? GraphOptimizationLevel.ORT_ENABLE_BASIC : GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Max(1, Math.Min(Environment.ProcessorCount, 4)),
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            _session = new InferenceSession(modelBytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"ONNX Runtime cannot load '{modelName}': {e.Message}", e);
        }
        InputNames = [.. _session.InputNames];
        OutputNames = [.. _session.OutputNames];
    }

    public string ModelName { get; }

    public IReadOnlyList<string> InputNames { get; }

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Runs once; returns new tensors for <paramref name="outputNames"/> (all outputs when null), in that order.</summary>
    public Tensor[] Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string>? outputNames = null, string? sampleId = null)
    {
        outputNames ??= OutputNames;
        var names = new string[InputNames.Count];
        var values = new OrtValue[InputNames.Count];
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = InputNames[i];
                if (!inputs.TryGetValue(names[i], out var t))
                {
                    throw new InvalidInputException($"{ModelName}: sample '{sampleId}' has no tensor for input '{names[i]}'");
                }
                // A copy into ORT-owned memory: these runs are for calibration and evaluation, not the measuring path.
                values[i] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, (TensorElementType)(int)t.ElementType, t.Shape.ToArray());
                t.Bytes.CopyTo(values[i].GetTensorMutableDataAsSpan<byte>());
            }
            using var results = _session.Run(_runOptions, names, values, [.. outputNames]);
            var outputs = new Tensor[results.Count];
            for (var k = 0; k < outputs.Length; k++)
            {
                outputs[k] = Copy(results[k], outputNames[k]);
            }
            return outputs;
        }
        catch (OnnxRuntimeException e)
        {
            var where = sampleId is null ? "" : $" on sample '{sampleId}'";
            throw new InferenceException($"{ModelName}: ONNX Runtime failed{where}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            foreach (var v in values)
            {
                v?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    private Tensor Copy(OrtValue value, string name)
    {
        if (!value.IsTensor)
        {
            throw new InferenceException($"{ModelName}: output '{name}' is not a tensor");
        }
        var info = value.GetTensorTypeAndShape();
        var type = (TensorDataType)(int)info.ElementDataType;
        var tensor = Tensor.Allocate(type, info.Shape);
        value.GetTensorDataAsSpan<byte>().CopyTo(tensor.Bytes);
        return tensor;
    }
}
