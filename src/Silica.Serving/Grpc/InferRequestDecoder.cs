using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Grpc.Protocol;

namespace Silica.Serving.Grpc;

/// <summary>
/// Turns a <c>ModelInferRequest</c> into the protocol-neutral <see cref="InferenceRequest"/>. Checks what only the
/// wire can get wrong (datatype names, negative dimensions, byte counts against shapes, raw and typed contents
/// mixed) with checked arithmetic and before anything is allocated; the model-specific checks are the server's.
/// Raw contents are not copied: the request's tensors view the message's buffers.
/// </summary>
internal static class InferRequestDecoder
{
    public static InferenceRequest Decode(ModelInferRequest request)
    {
        if (request.ModelName.Length == 0)
        {
            throw new InvalidRequestException("model_name is required");
        }
        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            throw new InvalidRequestException($"raw_input_contents has {raw.Count} entries for {request.Inputs.Count} inputs; send one per input, in order");
        }
        var inputs = new NamedTensor[request.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = request.Inputs[i];
            if (OipDatatypes.ParseDense(input.Datatype) is not { } type)
            {
                throw new InvalidRequestException($"input '{input.Name}' has unsupported datatype '{input.Datatype}'");
            }
            var shape = input.Shape.ToArray();
            var bytes = ExpectedBytes(input.Name, type, shape);
            ReadOnlyMemory<byte> data;
            if (raw.Count > 0)
            {
                if (input.Contents is not null)
                {
                    throw new InvalidRequestException($"input '{input.Name}' has typed contents while raw_input_contents is used; send one or the other");
                }
                data = raw[i].Memory;
                if (data.Length != bytes)
                {
                    throw new InvalidRequestException($"input '{input.Name}' {Describe(input.Datatype, shape)}: expected {bytes} bytes, got {data.Length}");
                }
            }
            else
            {
                data = TypedContents.ToBytes(input.Name, type, input.Contents, bytes / Math.Max(1, type.BitsPerElementBytes()));
            }
            inputs[i] = new NamedTensor(input.Name, type, shape, data);
        }
        RequestedOutput[]? outputs = null;
        if (request.Outputs.Count > 0)
        {
            outputs = new RequestedOutput[request.Outputs.Count];
            for (var i = 0; i < outputs.Length; i++)
            {
                outputs[i] = new RequestedOutput(request.Outputs[i].Name);
            }
        }
        return new InferenceRequest(request.ModelName, NullIfEmpty(request.ModelVersion), NullIfEmpty(request.Id), inputs, outputs);
    }

    /// <summary>Bytes a dense tensor of this type and shape holds; 400-class errors for negative or overflowing shapes.</summary>
    internal static long ExpectedBytes(string name, Onnx.Model.TensorDataType type, long[] shape)
    {
        long count = 1;
        try
        {
            foreach (var d in shape)
            {
                if (d < 0)
                {
                    throw new InvalidRequestException($"input '{name}' has a negative dimension in shape [{string.Join(',', shape)}]");
                }
                count = checked(count * d);
            }
            var bytes = checked(count * type.BitsPerElementBytes());
            // A protobuf message cannot carry more than 2 GiB; anything larger is a lie about the shape.
            return bytes <= int.MaxValue ? bytes : throw new OverflowException();
        }
        catch (OverflowException)
        {
            throw new InvalidRequestException($"input '{name}' shape [{string.Join(',', shape)}] is too large");
        }
    }

    private static int BitsPerElementBytes(this Onnx.Model.TensorDataType type) => Onnx.Model.TensorDataTypes.BitsPerElement(type) / 8;

    private static string Describe(string datatype, long[] shape) => $"{datatype}[{string.Join(',', shape)}]";

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
