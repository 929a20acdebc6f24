using System.Text;
using Silica.Runtime.Generation;
using Silica.Serving.Http;
using Silica.Serving.Metrics;

namespace Silica.Serving.OpenAi;

/// <summary>
/// The OpenAI-compatible API a <see cref="ServerHost"/> adds beside the Open Inference Protocol: chat and text
/// completions over generation engines, embeddings over the encoder models of the host's inference server, the model
/// list, and the LLM metrics. Pass it to <see cref="ServerHost.Build"/>. The caller keeps ownership of the engines.
/// </summary>
public sealed class OpenAiService : IDisposable
{
    private readonly Dictionary<string, IGenerationEngine> _byName;

    /// <summary>Serves <paramref name="generators"/> under their <see cref="IGenerationEngine.ModelName"/>s.</summary>
    /// <exception cref="ArgumentException">Two engines share a name.</exception>
    public OpenAiService(IEnumerable<IGenerationEngine> generators, OpenAiServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generators);
        Generators = [.. generators];
        _byName = new Dictionary<string, IGenerationEngine>(StringComparer.Ordinal);
        foreach (var engine in Generators)
        {
            if (!_byName.TryAdd(engine.ModelName, engine))
            {
                throw new ArgumentException($"two generation engines are named '{engine.ModelName}'", nameof(generators));
            }
        }
        Options = options ?? new OpenAiServiceOptions();
        Metrics = new LlmMetrics();
    }

    /// <summary>The generation engines served by chat and text completions.</summary>
    public IReadOnlyList<IGenerationEngine> Generators { get; }

    /// <summary>Embeddings settings.</summary>
    public OpenAiServiceOptions Options { get; }

    /// <summary>TTFT, TPOT, token counters and engine gauges; rendered into the host's <c>/metrics</c>.</summary>
    public LlmMetrics Metrics { get; }

    /// <summary>When the service was created, as Unix seconds (the <c>created</c> of <c>/v1/models</c>).</summary>
    internal long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Releases the metrics' meter (not the engines).</summary>
    public void Dispose() => Metrics.Dispose();

    internal IGenerationEngine? FindGenerator(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The host's metrics followed by the LLM metrics.</summary>
    internal IMetricsRenderer CombineMetrics(IMetricsRenderer? server) => new CombinedRenderer(server, this);

    private sealed class CombinedRenderer(IMetricsRenderer? server, OpenAiService service) : IMetricsRenderer
    {
        public string RenderPrometheus()
        {
            var text = new StringBuilder(server?.RenderPrometheus() ?? "");
            service.Metrics.Render(text, service.Generators);
            return text.ToString();
        }
    }
}
