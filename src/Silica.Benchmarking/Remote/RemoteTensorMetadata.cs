namespace Silica.Benchmarking.Remote;

/// <summary>An input or output as the server's model metadata describes it.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="Datatype">The OIP datatype name (<c>FP32</c>, <c>INT64</c>, …).</param>
/// <param name="Shape">The shape; -1 marks a variable dimension.</param>
public sealed record RemoteTensorMetadata(string Name, string Datatype, long[] Shape);

/// <summary>A model as the server describes it.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Versions">The versions the server has.</param>
/// <param name="Platform">The server's platform name for the model.</param>
/// <param name="Inputs">The inputs.</param>
/// <param name="Outputs">The outputs.</param>
public sealed record RemoteModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform,
    IReadOnlyList<RemoteTensorMetadata> Inputs, IReadOnlyList<RemoteTensorMetadata> Outputs);
