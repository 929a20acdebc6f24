using Google.Protobuf;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Grpc.Protocol;

namespace Silica.Serving.Grpc;

/// <summary>Writes an <see cref="InferenceResult"/> as a <c>ModelInferResponse</c> with raw output contents (no copy of the output bytes).</summary>
internal static class InferResponseEncoder
{
    public static ModelInferResponse Encode(InferenceResult result)
    {
        var response = new ModelInferResponse
        {
            ModelName = result.Model,
            ModelVersion = result.Version,
            Id = result.Id ?? "",
        };
        foreach (var output in result.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor
            {
                Name = output.Name,
                Datatype = OipDatatypes.Name(output.ElementType),
            };
            tensor.Shape.Add(output.Shape);
            response.Outputs.Add(tensor);
            // The result's buffers are not reused after the call returns, so the response may alias them.
            response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(output.Data));
        }
        return response;
    }
}
