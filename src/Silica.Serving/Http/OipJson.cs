using System.Text.Json;
using Silica.Serving.Core;

namespace Silica.Serving.Http;

/// <summary>The JSON shapes of the metadata, repository and statistics answers.</summary>
internal static class OipJson
{
    public static void ServerMetadata(Utf8JsonWriter w, ServerMetadata m)
    {
        w.WriteString("name"u8, m.Name);
        w.WriteString("version"u8, m.Version);
        w.WriteStartArray("extensions"u8);
        foreach (var e in m.Extensions)
        {
            w.WriteStringValue(e);
        }
        w.WriteEndArray();
    }

    public static void ModelMetadata(Utf8JsonWriter w, ModelMetadata m)
    {
        w.WriteString("name"u8, m.Name);
        w.WriteStartArray("versions"u8);
        foreach (var v in m.Versions)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
        w.WriteString("platform"u8, m.Platform);
        Tensors(w, "inputs"u8, m.Inputs);
        Tensors(w, "outputs"u8, m.Outputs);
    }

    /// <summary>The repository index as an array (the protocol's body is a bare array).</summary>
    public static void Index(Utf8JsonWriter w, IReadOnlyList<ModelIndexEntry> entries)
    {
        w.WriteStartArray();
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, e.Name);
            w.WriteString("version"u8, e.Version);
            w.WriteString("state"u8, e.State.ToString().ToUpperInvariant());
            if (e.Reason is { } reason)
            {
                w.WriteString("reason"u8, reason);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Triton's statistics extension: <c>{"model_stats": [...]}</c> with count/ns pairs per phase.</summary>
    public static void Statistics(Utf8JsonWriter w, IReadOnlyList<ModelStatistics> stats)
    {
        w.WriteStartArray("model_stats"u8);
        foreach (var s in stats)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, s.Name);
            w.WriteString("version"u8, s.Version);
            w.WriteNumber("last_inference"u8, s.LastInferenceUnixMs);
            w.WriteNumber("inference_count"u8, s.InferenceCount);
            w.WriteNumber("execution_count"u8, s.ExecutionCount);
            w.WriteStartObject("inference_stats"u8);
            Duration(w, "success"u8, s.SuccessCount, s.SuccessNs);
            Duration(w, "fail"u8, s.FailureCount, s.FailureNs);
            Duration(w, "queue"u8, s.QueueCount, s.QueueNs);
            // Silica times the run as one phase; Triton's input and output copies are part of it.
            Duration(w, "compute_input"u8, 0, 0);
            Duration(w, "compute_infer"u8, s.ComputeCount, s.ComputeNs);
            Duration(w, "compute_output"u8, 0, 0);
            Duration(w, "cache_hit"u8, 0, 0);
            Duration(w, "cache_miss"u8, 0, 0);
            w.WriteEndObject();
            w.WriteStartArray("batch_stats"u8);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Tensors(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<TensorMetadata> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, t.Name);
            w.WriteString("datatype"u8, t.Datatype);
            w.WriteStartArray("shape"u8);
            foreach (var d in t.Shape)
            {
                w.WriteNumberValue(d);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Duration(Utf8JsonWriter w, ReadOnlySpan<byte> name, long count, long ns)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count"u8, count);
        w.WriteNumber("ns"u8, ns);
        w.WriteEndObject();
    }
}
