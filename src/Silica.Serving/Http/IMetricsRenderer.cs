namespace Silica.Serving.Http;

/// <summary>Renders the server's metrics in the Prometheus text exposition format (version 0.0.4) for <c>GET /metrics</c>.</summary>
public interface IMetricsRenderer
{
    /// <summary>The current metrics as Prometheus text.</summary>
    string RenderPrometheus();
}
