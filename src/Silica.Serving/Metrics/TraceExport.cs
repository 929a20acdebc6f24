using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Silica.Serving.Metrics;

/// <summary>Exports the server's spans to an OpenTelemetry collector over OTLP/HTTP.</summary>
internal static class TraceExport
{
    public static void Add(IServiceCollection services, Uri endpoint) =>
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("silica-serve"))
            .WithTracing(t => t
                .AddSource(ServingTelemetry.SourceName)
                .AddOtlpExporter(o =>
                {
                    // OTLP/HTTP takes the full signal path; a bare collector address gets the standard one.
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "v1/traces") : endpoint;
                    // Spans leave in small batches, so a collector sees a request within about a second.
                    o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 500;
                }));
}
