using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Generation.Scheduling;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Generation.KvCache;

/// <summary>One sequence's share of a model call: run <paramref name="Count"/> tokens starting at its cached length.</summary>
internal readonly record struct StepItem(Sequence Sequence, int Count);

/// <summary>
/// Runs one batched call of a decoder in the Hugging Face Optimum with-past convention over paged KV blocks.
/// Before the call it gathers each sequence's blocks into the contiguous
/// <c>past_key_values.N.key|value</c> [batch, kvHeads, past, headDim] tensors the model takes, left-padded to the
/// longest past with <c>attention_mask</c> 0 on the padding; new tokens are right-padded to the longest in the call.
/// After it, it scatters each sequence's new positions of <c>present.N.key|value</c> back into its blocks.
/// </summary>
/// <remarks>
/// The gather and scatter copy the whole batch's cache every step. That is the price of running a standard ONNX
/// decoder: without a paged-attention kernel that reads the blocks in place, the model needs contiguous past tensors.
/// </remarks>
internal sealed class DecoderRunner : IDisposable
{
    private readonly ISession _session;
    private readonly Tensor[] _inputs;
    private readonly Tensor[] _outputs;
    private readonly int _idsIndex;
    private readonly int _maskIndex;
    private readonly int _positionIndex;
    private readonly int[] _pastIndex;    // [layer * 2 + kind] → input position
    private readonly int[] _presentIndex; // [layer * 2 + kind] → output position
    private readonly int _logitsIndex;
    private readonly int _lastPositionIndex; // LastPositionLogits' input, or -1 when logits cover every new token
    private readonly int _cacheBranchIndex;  // Optimum merged decoders' use_cache_branch, or -1
    private int _logitRows;

    private DecoderRunner(ISession session, DecoderShape shape, int ids, int mask, int positions, int lastPosition, int[] past, int logits, int[] present)
    {
        _lastPositionIndex = lastPosition;
        _cacheBranchIndex = session.Inputs.ToList().FindIndex(i => i.Name == CacheBranchInput);
        _session = session;
        Shape = shape;
        _idsIndex = ids;
        _maskIndex = mask;
        _positionIndex = positions;
        _pastIndex = past;
        _logitsIndex = logits;
        _presentIndex = present;
        _inputs = new Tensor[session.Inputs.Count];
        _outputs = new Tensor[session.Outputs.Count];
        for (var i = 0; i < _inputs.Length; i++)
        {
            var type = session.Inputs[i].ElementType;
            _inputs[i] = Tensor.AllocateNative(type, new long[session.Inputs[i].Shape.Rank]);
        }
        for (var i = 0; i < _outputs.Length; i++)
        {
            _outputs[i] = Tensor.AllocateNative(session.Outputs[i].ElementType, new long[session.Outputs[i].Shape.Rank]);
        }
    }

    public DecoderShape Shape { get; }

    /// <summary>The flag input of Optimum's <c>decoder_model_merged.onnx</c>.</summary>
    public const string CacheBranchInput = "use_cache_branch";

    /// <summary>
    /// Maps a session's inputs and outputs to the decoder roles and reads the cache dimensions from them.
    /// </summary>
    /// <exception cref="ArgumentException">The session is not a with-past decoder this engine can drive.</exception>
    public static DecoderRunner Create(ISession session, int contextLength)
    {
        var name = session.ModelName;
        var inputs = session.Inputs;
        var outputs = session.Outputs;
        int Find(IReadOnlyList<TensorInfo> list, string n) => list.ToList().FindIndex(t => t.Name == n);

        var ids = Find(inputs, "input_ids");
        var mask = Find(inputs, "attention_mask");
        var positions = Find(inputs, "position_ids");
        var lastPosition = Find(inputs, LastPositionLogits.InputName);
        var logits = Find(outputs, "logits");
        if (ids < 0 || mask < 0 || logits < 0)
        {
            throw new ArgumentException($"model '{name}' is not a decoder with past: it needs inputs input_ids and attention_mask and output logits " +
                $"(it has inputs {string.Join(", ", inputs.Select(i => i.Name))})");
        }
        var layers = inputs.Count(i => i.Name.StartsWith("past_key_values.", StringComparison.Ordinal) && i.Name.EndsWith(".key", StringComparison.Ordinal));
        if (layers == 0)
        {
            throw new ArgumentException($"model '{name}' has no past_key_values.N.key inputs; export it with past (Optimum's decoder_with_past / merged)");
        }
        var past = new int[layers * 2];
        var present = new int[layers * 2];
        for (var l = 0; l < layers; l++)
        {
            for (var kind = 0; kind < 2; kind++)
            {
                var suffix = kind == 0 ? "key" : "value";
                past[l * 2 + kind] = Find(inputs, $"past_key_values.{l}.{suffix}");
                present[l * 2 + kind] = Find(outputs, $"present.{l}.{suffix}");
                if (past[l * 2 + kind] < 0 || present[l * 2 + kind] < 0)
                {
                    throw new ArgumentException($"model '{name}' lacks past_key_values.{l}.{suffix} or present.{l}.{suffix}");
                }
            }
        }
        var known = new HashSet<int>(past) { ids, mask };
        if (positions >= 0) known.Add(positions);
        if (lastPosition >= 0) known.Add(lastPosition);
        var cacheBranch = Find(inputs, CacheBranchInput);
        if (cacheBranch >= 0 && inputs[cacheBranch].ElementType == TensorDataType.Bool) known.Add(cacheBranch);
        if (inputs.Where((_, i) => !known.Contains(i)).Select(i => i.Name).FirstOrDefault() is { } extra)
        {
            throw new ArgumentException($"model '{name}' takes input '{extra}', which a decoder step does not supply");
        }
        foreach (var i in new[] { ids, mask, positions, lastPosition }.Where(i => i >= 0))
        {
            if (inputs[i].ElementType != TensorDataType.Int64)
            {
                throw new ArgumentException($"model '{name}': input '{inputs[i].Name}' is {inputs[i].ElementType.DisplayName()}; the engine feeds int64");
            }
        }
        var pastInfo = inputs[past[0]];
        if (pastInfo.Shape.Rank != 4 || pastInfo.Shape[1].Value is not { } kvHeads || pastInfo.Shape[3].Value is not { } headDim)
        {
            throw new ArgumentException($"model '{name}': {pastInfo} must be [batch, kv_heads, past, head_dim] with fixed kv_heads and head_dim");
        }
        if (past.Any(i => inputs[i].ElementType != TensorDataType.Float) || present.Any(i => outputs[i].ElementType != TensorDataType.Float))
        {
            throw new ArgumentException($"model '{name}': the engine's KV cache holds float32 keys and values");
        }
        var logitsInfo = outputs[logits];
        if (logitsInfo.Shape.Rank != 3 || logitsInfo.Shape[2].Value is not { } vocab || logitsInfo.ElementType != TensorDataType.Float)
        {
            throw new ArgumentException($"model '{name}': {logitsInfo} must be float[batch, seq, vocab] with a fixed vocab");
        }
        var shape = new DecoderShape(layers, (int)kvHeads, (int)headDim, (int)vocab, contextLength);
        return new DecoderRunner(session, shape, ids, mask, positions, lastPosition, past, logits, present);
    }

    /// <summary>
    /// Runs the items' pending tokens (each sequence's blocks already hold room for them) and stores the new keys and
    /// values. <paramref name="paddingRows"/> rows of nothing but padding follow the items: they cost what a row costs
    /// and their outputs are discarded (request-level static batching keeps finished rows in its fixed-shape batch).
    /// Returns the token positions the model computed: rows × the longest new-token count, padding included.
    /// </summary>
    public long Run(IReadOnlyList<StepItem> items, KvBlockPool pool, int paddingRows = 0)
    {
        var batch = items.Count + paddingRows;
        var pastLength = 0;
        var newTokens = 0;
        foreach (var item in items)
        {
            pastLength = Math.Max(pastLength, item.Sequence.Cached);
            newTokens = Math.Max(newTokens, item.Count);
        }
        var total = pastLength + newTokens;

        var ids = Ensure(_inputs, _idsIndex, batch, newTokens).AsInt64s();
        var mask = Ensure(_inputs, _maskIndex, batch, total).AsInt64s();
        var positions = _positionIndex >= 0 ? Ensure(_inputs, _positionIndex, batch, newTokens).AsInt64s() : default;
        var lastPositions = _lastPositionIndex >= 0 ? Ensure(_inputs, _lastPositionIndex, batch, 1, 1).AsInt64s() : default;
        for (var b = items.Count; b < batch; b++)
        {
            // A padding row: no past (masked), the first real row's first token at positions 0.. (a valid embedding
            // row and position; self-attention only, so no fully masked softmax row); nothing is read back.
            mask.Slice(b * total, pastLength).Clear();
            mask.Slice(b * total + pastLength, newTokens).Fill(1);
            if (_lastPositionIndex >= 0)
            {
                lastPositions[b] = newTokens - 1;
            }
            ids.Slice(b * newTokens, newTokens).Fill(items[0].Sequence.Tokens[0]);
            for (var t = 0; _positionIndex >= 0 && t < newTokens; t++)
            {
                positions[b * newTokens + t] = t;
            }
        }
        for (var b = 0; b < items.Count; b++)
        {
            var (seq, count) = items[b];
            var pad = pastLength - seq.Cached;
            var maskRow = mask.Slice(b * total, total);
            maskRow[..pad].Clear();
            maskRow[pad..(pastLength + count)].Fill(1);
            maskRow[(pastLength + count)..].Clear();
            if (_lastPositionIndex >= 0)
            {
                lastPositions[b] = count - 1;
            }
            var idRow = ids.Slice(b * newTokens, newTokens);
            for (var t = 0; t < newTokens; t++)
            {
                // Right padding repeats a real token id at position 0: masked out, and always a valid embedding row.
                idRow[t] = t < count ? seq.Tokens[seq.Cached + t] : seq.Tokens[seq.Cached];
                if (_positionIndex >= 0)
                {
                    positions[b * newTokens + t] = t < count ? seq.Cached + t : 0;
                }
            }
        }

        for (var layer = 0; layer < Shape.Layers; layer++)
        {
            for (var kind = 0; kind < 2; kind++)
            {
                var past = Ensure(_inputs, _pastIndex[layer * 2 + kind], batch, Shape.KvHeads, pastLength, Shape.HeadDim).AsFloats();
                Gather(items, pool, layer, kind, past, pastLength);
                past[(items.Count * Shape.KvHeads * pastLength * Shape.HeadDim)..].Clear();
                Ensure(_outputs, _presentIndex[layer * 2 + kind], batch, Shape.KvHeads, total, Shape.HeadDim);
            }
        }
        _logitRows = _lastPositionIndex >= 0 ? 1 : newTokens;
        Ensure(_outputs, _logitsIndex, batch, _logitRows, Shape.Vocab);
        if (_cacheBranchIndex >= 0)
        {
            // Optimum's merged export switches between its first-step and with-past subgraphs on this flag.
            Ensure(_inputs, _cacheBranchIndex, 1).Bytes[0] = pastLength > 0 ? (byte)1 : (byte)0;
        }

        _session.Run(_inputs, _outputs);

        for (var layer = 0; layer < Shape.Layers; layer++)
        {
            for (var kind = 0; kind < 2; kind++)
            {
                Scatter(items, pool, layer, kind, _outputs[_presentIndex[layer * 2 + kind]].AsFloats(), pastLength, total);
            }
        }
        return (long)batch * newTokens;
    }

    /// <summary>The logits of item <paramref name="index"/>'s last new token in the latest <see cref="Run"/>.</summary>
    public ReadOnlySpan<float> LastLogits(int index, int count)
    {
        var vocab = Shape.Vocab;
        var row = _lastPositionIndex >= 0 ? index : index * _logitRows + count - 1;
        return _outputs[_logitsIndex].AsFloats().Slice(row * vocab, vocab);
    }

    public void Dispose()
    {
        foreach (var t in _inputs) t.Dispose();
        foreach (var t in _outputs) t.Dispose();
    }

    // Copies each sequence's cached tokens for one (layer, kind) into past[b, head, pad.., :], zeroing the padding.
    private void Gather(IReadOnlyList<StepItem> items, KvBlockPool pool, int layer, int kind, Span<float> past, int pastLength)
    {
        var d = Shape.HeadDim;
        var bt = pool.BlockTokens;
        for (var b = 0; b < items.Count; b++)
        {
            var seq = items[b].Sequence;
            var pad = pastLength - seq.Cached;
            for (var h = 0; h < Shape.KvHeads; h++)
            {
                var row = past.Slice(((b * Shape.KvHeads) + h) * pastLength * d, pastLength * d);
                row[..(pad * d)].Clear();
                for (int start = 0, block = 0; start < seq.Cached; start += bt, block++)
                {
                    var n = Math.Min(bt, seq.Cached - start);
                    pool.Run(seq.Blocks[block], layer, kind, h)[..(n * d)].CopyTo(row[((pad + start) * d)..]);
                }
            }
        }
    }

    // Copies present[b, head, pastLength .. pastLength + count, :] into the sequence's slots Cached .. Cached + count.
    private void Scatter(IReadOnlyList<StepItem> items, KvBlockPool pool, int layer, int kind, ReadOnlySpan<float> present, int pastLength, int total)
    {
        var d = Shape.HeadDim;
        var bt = pool.BlockTokens;
        for (var b = 0; b < items.Count; b++)
        {
            var (seq, count) = items[b];
            for (var h = 0; h < Shape.KvHeads; h++)
            {
                var row = present.Slice((((b * Shape.KvHeads) + h) * total + pastLength) * d, count * d);
                var t = 0;
                while (t < count)
                {
                    var position = seq.Cached + t;
                    var slot = position % bt;
                    var n = Math.Min(bt - slot, count - t);
                    row.Slice(t * d, n * d).CopyTo(pool.Run(seq.Blocks[position / bt], layer, kind, h)[(slot * d)..]);
                    t += n;
                }
            }
        }
    }

    // Shapes tensors[index] to the dimensions, growing its buffer (geometrically) when they do not fit.
    private static Tensor Ensure(Tensor[] tensors, int index, params ReadOnlySpan<long> shape)
    {
        var t = tensors[index];
        long count = 1;
        foreach (var dim in shape)
        {
            count *= dim;
        }
        var bytes = t.ElementType.ByteCount(count);
        if (bytes > t.Capacity)
        {
            var capacity = (int)Math.Min(Array.MaxLength, Math.Max(bytes, 2L * t.Capacity));
            t.Dispose();
            t = tensors[index] = Tensor.AllocateNative(t.ElementType, shape, capacity);
        }
        else
        {
            t.Reshape(shape);
        }
        return t;
    }
}
