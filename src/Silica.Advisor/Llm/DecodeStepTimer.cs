using System.Diagnostics;
using Silica.Onnx.Model;
using Silica.Prediction.Llm;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Advisor.Llm;

/// <summary>
/// Times one decode step of an exported decoder (Hugging Face Optimum convention: <c>input_ids</c>,
/// <c>attention_mask</c>, <c>position_ids</c>, <c>past_key_values.N.key|value</c> → <c>logits</c>,
/// <c>present.N.key|value</c>) on a session: a batch of sequences each with a KV past of fixed length, one new token
/// each. This is the step a serving engine repeats, so its time is the TPOT the engine can reach at that batch.
/// </summary>
public sealed class DecodeStepTimer : IDisposable
{
    private readonly ISession _session;
    private readonly Tensor[] _inputs;
    private readonly Tensor[] _outputs;

    /// <summary>Prepares inputs for <paramref name="batch"/> sequences with <paramref name="pastTokens"/> cached tokens each.</summary>
    /// <exception cref="ArgumentException">An input or output does not follow the decoder convention.</exception>
    public DecodeStepTimer(ISession session, DecoderShape shape, int batch, int pastTokens)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pastTokens);
        _session = session;
        Batch = batch;
        PastTokens = pastTokens;
        _inputs = [.. session.Inputs.Select(i => Input(i, shape, batch, pastTokens))];
        _outputs = [.. session.Outputs.Select(o => Output(o, shape, batch, pastTokens))];
    }

    /// <summary>Sequences per step.</summary>
    public int Batch { get; }

    /// <summary>Cached tokens per sequence.</summary>
    public int PastTokens { get; }

    /// <summary>Runs one step and returns its wall time in seconds.</summary>
    public double TimeOne()
    {
        var t0 = Stopwatch.GetTimestamp();
        _session.Run(_inputs, _outputs);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _inputs.Concat(_outputs))
        {
            t.Dispose();
        }
    }

    private static Tensor Input(TensorInfo info, DecoderShape shape, int batch, int past)
    {
        var name = info.Name;
        if (name == "input_ids")
        {
            var ids = Tensor.Allocate(info.ElementType, [batch, 1]);
            Fill(ids, i => 1 + (i % Math.Max(1, shape.Vocab - 1)));
            return ids;
        }
        if (name == "attention_mask")
        {
            var mask = Tensor.Allocate(info.ElementType, [batch, past + 1]);
            Fill(mask, _ => 1);
            return mask;
        }
        if (name == "position_ids")
        {
            var positions = Tensor.Allocate(info.ElementType, [batch, 1]);
            Fill(positions, _ => past);
            return positions;
        }
        if (name.StartsWith("past_key_values.", StringComparison.Ordinal))
        {
            var kv = Tensor.Allocate(info.ElementType, [batch, shape.KvHeads, past, shape.HeadDim]);
            if (info.ElementType == TensorDataType.Float)
            {
                var span = kv.AsFloats();
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = ((i % 17) - 8) * 0.01f; // small, varied values: a realistic softmax, no denormals
                }
            }
            return kv;
        }
        throw new ArgumentException($"decoder input '{name}' is not one of input_ids, attention_mask, position_ids, past_key_values.N.key|value");
    }

    private static Tensor Output(TensorInfo info, DecoderShape shape, int batch, int past)
    {
        if (info.Name == "logits")
        {
            return Tensor.Allocate(info.ElementType, [batch, 1, shape.Vocab]);
        }
        if (info.Name.StartsWith("present.", StringComparison.Ordinal))
        {
            return Tensor.Allocate(info.ElementType, [batch, shape.KvHeads, past + 1, shape.HeadDim]);
        }
        throw new ArgumentException($"decoder output '{info.Name}' is not logits or present.N.key|value");
    }

    private static void Fill(Tensor t, Func<long, long> value)
    {
        if (t.ElementType == TensorDataType.Int64)
        {
            var s = t.AsInt64s();
            for (var i = 0; i < s.Length; i++)
            {
                s[i] = value(i);
            }
        }
        else if (t.ElementType == TensorDataType.Int32)
        {
            var s = t.AsSpan<int>();
            for (var i = 0; i < s.Length; i++)
            {
                s[i] = (int)value(i);
            }
        }
        else
        {
            throw new ArgumentException($"expected an int64 or int32 tensor, got {t.ElementType}");
        }
    }
}
