using Silica.Serving.Metrics;

namespace Silica.Serving.Http;

/// <summary>Serves a <see cref="ServingMetrics"/> (the model server's counters and histograms) at <c>/metrics</c>.</summary>
internal sealed class ServingMetricsRenderer(ServingMetrics metrics) : IMetricsRenderer
{
    public string RenderPrometheus() => metrics.Render();
}
