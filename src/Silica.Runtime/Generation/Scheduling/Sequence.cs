using System.Threading.Channels;
using Silica.Runtime.Generation.KvCache;
using Silica.Runtime.Generation.Sampling;

namespace Silica.Runtime.Generation.Scheduling;

/// <summary>
/// One request's state on the scheduler thread: its tokens (prompt then output), how many of them the KV cache holds,
/// its blocks, and the channel its tokens stream through. Only <see cref="RequestCancel"/> is called from other threads.
/// </summary>
internal sealed class Sequence
{
    private int _cancelRequested;

    public Sequence(long order, GenerationRequest request, ITextTokenizer tokenizer)
    {
        Order = order;
        Request = request;
        Tokens = new List<int>(request.PromptTokens.Count + Math.Min(request.Sampling.MaxTokens, 1024));
        Tokens.AddRange(request.PromptTokens);
        PromptLength = request.PromptTokens.Count;
        Random = request.Sampling.Seed is { } seed ? new Random(unchecked((int)seed ^ (int)(seed >> 32))) : new Random();
        Text = new StopSequenceFilter(tokenizer, request.Sampling.Stop);
        Output = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Arrived = Environment.TickCount64;
    }

    /// <summary>Arrival order: the scheduler serves older sequences first and preempts the youngest.</summary>
    public long Order { get; }

    public GenerationRequest Request { get; }

    public SamplingOptions Sampling => Request.Sampling;

    /// <summary>Prompt then generated tokens (the end-of-sequence token is never appended).</summary>
    public List<int> Tokens { get; }

    public int PromptLength { get; }

    public int Generated { get; set; }

    /// <summary>Leading tokens whose keys and values are in the cache; after preemption 0 (recomputed on return).</summary>
    public int Cached { get; set; }

    /// <summary>Tokens still to run through the model before the next token can be sampled.</summary>
    public int Pending => Tokens.Count - Cached;

    public BlockTable Blocks { get; } = new();

    /// <summary>Tokens planned for the current step (0 when it sits this step out).</summary>
    public int Planned { get; set; }

    public Random Random { get; }

    public StopSequenceFilter Text { get; }

    public Channel<GeneratedToken> Output { get; }

    /// <summary>Environment.TickCount64 at arrival, for static batching's wait.</summary>
    public long Arrived { get; }

    public CancellationTokenRegistration Registration { get; set; }

    public bool IsFinished { get; set; }

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) != 0;

    /// <summary>Marks the sequence for removal at the next step (any thread).</summary>
    public bool RequestCancel() => Interlocked.Exchange(ref _cancelRequested, 1) == 0;

    /// <summary>Output tokens so far (the tail of <see cref="Tokens"/>), for decoding text.</summary>
    public List<int> OutputTokens { get; } = [];

    /// <summary>Appends a sampled token (not the end-of-sequence token) to both lists.</summary>
    public void Append(int token)
    {
        Tokens.Add(token);
        OutputTokens.Add(token);
    }
}
