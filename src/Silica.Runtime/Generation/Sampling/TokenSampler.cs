namespace Silica.Runtime.Generation.Sampling;

/// <summary>
/// Picks the next token from one position's logits: greedy (temperature 0) or a draw from the softmax at a
/// temperature, restricted to the top-k tokens and then to the top-p nucleus. Holds scratch buffers of vocabulary
/// size, so one instance serves one thread (the scheduler's).
/// </summary>
internal sealed class TokenSampler
{
    private float[] _weights = [];
    private int[] _order = [];

    /// <summary>The token with the largest logit (the lowest id on a tie; NaN never wins).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = -1;
        var max = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            if (logits[i] > max || best < 0 && !float.IsNaN(logits[i]))
            {
                max = logits[i];
                best = i;
            }
        }
        return best < 0 ? 0 : best;
    }

    /// <summary>Samples one token id.</summary>
    /// <param name="logits">One position's logits (vocabulary size).</param>
    /// <param name="options">Validated sampling options.</param>
    /// <param name="random">The request's generator; unused when greedy.</param>
    public int Sample(ReadOnlySpan<float> logits, SamplingOptions options, Random random)
    {
        if (options.Temperature == 0f || options.TopK == 1)
        {
            return ArgMax(logits);
        }
        var n = logits.Length;
        if (_weights.Length < n)
        {
            _weights = new float[n];
            _order = new int[n];
        }
        var order = _order.AsSpan(0, n);
        var weights = _weights.AsSpan(0, n);

        // Candidates: all tokens, or the k largest (kept as a min-heap of ids in order[0..k]).
        int count;
        if (options.TopK > 0 && options.TopK < n)
        {
            count = TopK(logits, options.TopK, order);
        }
        else
        {
            count = n;
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }
        }
        var candidates = order[..count];

        var max = float.NegativeInfinity;
        foreach (var id in candidates)
        {
            if (logits[id] > max) max = logits[id];
        }
        if (float.IsNegativeInfinity(max) || float.IsNaN(max))
        {
            return ArgMax(logits);
        }
        var inverseTemperature = 1f / options.Temperature;
        double sum = 0;
        foreach (var id in candidates)
        {
            var l = logits[id];
            var w = float.IsNaN(l) ? 0f : MathF.Exp((l - max) * inverseTemperature);
            weights[id] = w;
            sum += w;
        }

        if (options.TopP < 1f)
        {
            count = Nucleus(candidates, weights, sum * options.TopP, out sum);
            candidates = candidates[..count];
        }

        var u = random.NextDouble() * sum;
        double cumulative = 0;
        foreach (var id in candidates)
        {
            cumulative += weights[id];
            if (u < cumulative)
            {
                return id;
            }
        }
        // Rounding left u at the very top of the range: the last candidate with any weight.
        for (var i = candidates.Length - 1; i >= 0; i--)
        {
            if (weights[candidates[i]] > 0) return candidates[i];
        }
        return candidates[0];
    }

    // Keeps the k largest logits as a min-heap in ids[0..k] (ties: the lower id ranks higher). O(n log k).
    private static int TopK(ReadOnlySpan<float> logits, int k, Span<int> ids)
    {
        var heap = ids[..k];
        for (var i = 0; i < k; i++)
        {
            heap[i] = i;
        }
        for (var i = k / 2 - 1; i >= 0; i--)
        {
            SiftDown(heap, i, logits, minHeap: true);
        }
        for (var i = k; i < logits.Length; i++)
        {
            if (Ranks(logits, i, heap[0]))
            {
                heap[0] = i;
                SiftDown(heap, 0, logits, minHeap: true);
            }
        }
        return k;
    }

    // Reorders candidates so the most likely come first and returns how many are needed to reach mass; sum gets
    // their total weight. A max-heap popped until the mass is reached: O(n + m log n) for a nucleus of m tokens.
    private static int Nucleus(Span<int> candidates, ReadOnlySpan<float> weights, double mass, out double sum)
    {
        var heapSize = candidates.Length;
        for (var i = heapSize / 2 - 1; i >= 0; i--)
        {
            SiftDown(candidates[..heapSize], i, weights, minHeap: false);
        }
        sum = 0;
        var taken = 0;
        while (heapSize > 0)
        {
            var top = candidates[0];
            heapSize--;
            candidates[0] = candidates[heapSize];
            candidates[heapSize] = top;
            SiftDown(candidates[..heapSize], 0, weights, minHeap: false);
            sum += weights[top];
            taken++;
            if (sum >= mass)
            {
                break;
            }
        }
        // The popped tokens sit at the end, least likely first; move them to the front, most likely first.
        var popped = candidates[(candidates.Length - taken)..];
        popped.Reverse();
        popped.CopyTo(candidates);
        return taken;
    }

    // True when token a ranks above token b: a larger value, or an equal value and a lower id.
    private static bool Ranks(ReadOnlySpan<float> values, int a, int b) =>
        values[a] > values[b] || values[a] == values[b] && a < b;

    private static void SiftDown(Span<int> heap, int i, ReadOnlySpan<float> values, bool minHeap)
    {
        while (true)
        {
            var left = 2 * i + 1;
            if (left >= heap.Length)
            {
                return;
            }
            var child = left;
            var right = left + 1;
            if (right < heap.Length && (minHeap ? Ranks(values, heap[left], heap[right]) : Ranks(values, heap[right], heap[left])))
            {
                child = right;
            }
            if (minHeap ? !Ranks(values, heap[i], heap[child]) : !Ranks(values, heap[child], heap[i]))
            {
                return;
            }
            (heap[i], heap[child]) = (heap[child], heap[i]);
            i = child;
        }
    }
}
