using Google.Protobuf;
using Silica.Onnx;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Data;

/// <summary>
/// Reads a serialized ONNX <c>TensorProto</c> (<c>.pb</c>), the format of the ONNX backend test data
/// (<c>test_data_set_0/input_0.pb</c>). Data may sit in <c>raw_data</c> or the typed fields; external data is refused.
/// </summary>
internal static class TensorProtoFile
{
    public static RawTensor Read(string path)
    {
        TensorProto proto;
        try
        {
            proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SampleDataException($"'{path}' is not a serialized ONNX TensorProto: {e.Message}");
        }
        if (!TensorDataTypes.IsDefined(proto.DataType))
        {
            throw new SampleDataException($"'{path}' has data type code {proto.DataType}, which ONNX does not define");
        }
        var type = (TensorDataType)proto.DataType;
        if (type == TensorDataType.String || type.BitsPerElement() == 0)
        {
            throw new SampleDataException($"'{path}' holds {type.DisplayName()} values; only dense numeric and bool tensors are model inputs here");
        }
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new SampleDataException($"'{path}' keeps its values in an external file; save the tensor with its data inline");
        }
        try
        {
            var count = TensorData.ElementCount(proto);
            var expected = type.ByteCount(count);
            var raw = TensorData.ToRawBytes(proto)
                ?? throw new SampleDataException($"'{path}' does not hold the {count} values {type.DisplayName()}[{string.Join(",", proto.Dims)}] needs");
            if (raw.Length != expected)
            {
                throw new SampleDataException($"'{path}' holds {raw.Length} bytes; {type.DisplayName()}[{string.Join(",", proto.Dims)}] needs {expected}");
            }
            return new RawTensor(type, [.. proto.Dims], raw, string.IsNullOrEmpty(proto.Name) ? null : proto.Name);
        }
        catch (Exception e) when (e is OnnxFormatException or OverflowException)
        {
            throw new SampleDataException($"'{path}' is not a valid tensor: {e.Message}");
        }
    }
}
