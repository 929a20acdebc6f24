using System.Diagnostics;

namespace Silica.Serving.Metrics;

/// <summary>
/// Names to subscribe to: an OpenTelemetry tracer adds <see cref="SourceName"/> as a source and a meter provider adds
/// <see cref="MeterName"/>. Each inference request is one <c>infer</c> activity tagged with the request id, model and version.
/// </summary>
public static class ServingTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name.</summary>
    public const string SourceName = "Silica.Serving";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "Silica.Serving";

    /// <summary>Tag holding the client's request id.</summary>
    public const string RequestIdTag = "silica.request_id";

    /// <summary>Tag holding the model name.</summary>
    public const string ModelTag = "silica.model";

    /// <summary>Tag holding the model version.</summary>
    public const string VersionTag = "silica.model_version";

    internal static ActivitySource ActivitySource { get; } = new(SourceName);
}
