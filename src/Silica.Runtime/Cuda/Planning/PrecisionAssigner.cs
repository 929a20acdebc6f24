using System.Buffers.Binary;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// Stores float activations and weights in FP16/BF16 (FP8 plans use FP16 here; the executor quantises marked GEMM
/// weights). Graph inputs and outputs keep their ONNX type: a CastStep converts at each boundary.
/// </summary>
internal static class PrecisionAssigner
{
    public static void Apply(PlanBuilder b, List<int> outputs, Precision precision)
    {
        if (precision == Precision.Fp32)
        {
            return;
        }
        if (precision == Precision.Int8)
        {
            throw new PlanException("Int8 plans are not supported by the CUDA planner");
        }
        var target = precision == Precision.Bf16 ? TensorDataType.BFloat16 : TensorDataType.Float16;
        var buffers = b.Buffers;
        var converted = 0;
        foreach (var buf in buffers.ToList())
        {
            if (buf.Type != TensorDataType.Float)
            {
                continue;
            }
            switch (buf.Kind)
            {
                case BufferKind.Weight when !b.Fp32Weights.Contains(buf.Id):
                    buf.Data = Convert(buf.Data!, target);
                    buf.Type = target;
                    converted++;
                    break;
                case BufferKind.Arena:
                    buf.Type = target;
                    break;
            }
        }
        var redirect = new Dictionary<int, int>();
        var prologue = new List<Step>();
        var epilogue = new List<Step>();
        foreach (var id in b.Inputs)
        {
            var input = buffers[id];
            if (input.Type == TensorDataType.Float && IsRead(b, id))
            {
                var inner = b.NewBuffer($"{input.Name}.{target}", target, input.Shape, BufferKind.Arena);
                redirect[id] = inner;
                prologue.Add(new CastStep($"{input.Name}.cast", id, inner));
            }
        }
        foreach (var id in outputs)
        {
            var output = buffers[id];
            if (output.Type == TensorDataType.Float)
            {
                var inner = b.NewBuffer($"{output.Name}.{target}", target, output.Shape, BufferKind.Arena);
                redirect[id] = inner;
                epilogue.Add(new CastStep($"{output.Name}.cast", inner, id));
            }
        }
        var steps = b.Steps.Select(s => StepBuffers.Remap(s, x => redirect.GetValueOrDefault(x, x))).ToList();
        b.Steps.Clear();
        b.Steps.AddRange(prologue);
        b.Steps.AddRange(steps);
        b.Steps.AddRange(epilogue);
        foreach (var buf in buffers.Where(x => x.Kind == BufferKind.View))
        {
            buf.ViewOf = redirect.GetValueOrDefault(buf.ViewOf, buf.ViewOf);
            if (buf.Type == TensorDataType.Float)
            {
                buf.Type = buffers[buf.ViewOf].Type;
            }
        }
        b.Note($"precision {precision}: {converted} weights and all float activations stored as {target}; "
            + $"{prologue.Count} input and {epilogue.Count} output casts");
    }

    private static bool IsRead(PlanBuilder b, int id) =>
        b.Steps.Any(s => StepBuffers.Reads(s).Any(r => r == id || (b.Buffers[r].Kind == BufferKind.View && b.Buffers[r].ViewOf == id)));

    private static byte[] Convert(byte[] fp32, TensorDataType target)
    {
        var n = fp32.Length / 4;
        var result = new byte[n * 2];
        for (var i = 0; i < n; i++)
        {
            var f = BinaryPrimitives.ReadSingleLittleEndian(fp32.AsSpan(i * 4));
            if (target == TensorDataType.BFloat16)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(i * 2), HostTensor.ToBFloat16(f));
            }
            else
            {
                BinaryPrimitives.WriteHalfLittleEndian(result.AsSpan(i * 2), (Half)f);
            }
        }
        return result;
    }
}
