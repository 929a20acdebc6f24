using System.Text.Json;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Remote;

/// <summary>Writes a tensor's elements as the flat JSON <c>data</c> array of an OIP v2 request.</summary>
internal static class JsonTensorData
{
    public static void Write(Utf8JsonWriter w, Tensor t)
    {
        w.WriteStartArray();
        switch (t.ElementType)
        {
            case TensorDataType.Float:
                foreach (var v in t.AsSpan<float>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.Double:
                foreach (var v in t.AsSpan<double>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.Float16:
                foreach (var v in t.AsSpan<Half>())
                {
                    w.WriteNumberValue((float)v);
                }
                break;
            case TensorDataType.Int64:
                foreach (var v in t.AsSpan<long>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.UInt64:
                foreach (var v in t.AsSpan<ulong>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.Int32:
                foreach (var v in t.AsSpan<int>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.UInt32:
                foreach (var v in t.AsSpan<uint>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.Int16:
                foreach (var v in t.AsSpan<short>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.UInt16:
                foreach (var v in t.AsSpan<ushort>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.Int8:
                foreach (var v in t.AsSpan<sbyte>())
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.UInt8:
                foreach (var v in t.Bytes)
                {
                    w.WriteNumberValue(v);
                }
                break;
            case TensorDataType.Bool:
                foreach (var v in t.Bytes)
                {
                    w.WriteBooleanValue(v != 0);
                }
                break;
            default:
                throw new RemoteInferenceException($"{t.ElementType.DisplayName()} inputs cannot be sent as JSON; use --protocol binary or grpc");
        }
        w.WriteEndArray();
    }
}
