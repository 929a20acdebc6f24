namespace Silica.Benchmarking.Remote;

/// <summary>A model on a running Open Inference Protocol v2 server.</summary>
/// <param name="Url">The server's base address (<c>http://127.0.0.1:8000</c>); for gRPC, its HTTP/2 endpoint.</param>
/// <param name="Model">The model name.</param>
/// <param name="Protocol">How requests are sent.</param>
public sealed record RemoteTarget(Uri Url, string Model, RemoteProtocol Protocol)
{
    /// <summary>
    /// Most HTTP/1.1 connections the client opens (one per outstanding request); requests past it wait in the client
    /// for a free connection, and the wait counts in their latency. gRPC multiplexes requests over HTTP/2 instead.
    /// </summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>The default <see cref="MaxConnections"/>: far below a process's usual descriptor limit, far above what a 2-core server answers concurrently.</summary>
    public const int DefaultMaxConnections = 1024;

    /// <summary>Checks the target; throws a one-line message naming the bad value.</summary>
    /// <exception cref="ArgumentException">The address is not absolute http(s), or the model name is empty.</exception>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--url must be an absolute http:// or https:// address; got '{Url.OriginalString}'");
        }
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("--model is required with --url");
        }
        if (MaxConnections < 1)
        {
            throw new ArgumentException($"the connection bound must be at least 1 (is {MaxConnections})");
        }
    }

    internal IInferenceTransport CreateTransport()
    {
        // A base address without a trailing slash would make relative paths replace its last segment.
        var baseUri = Url.AbsoluteUri.EndsWith('/') ? Url : new Uri(Url.AbsoluteUri + "/");
        return Protocol switch
        {
            RemoteProtocol.Grpc => new GrpcInferenceTransport(Url, Model),
            _ => new HttpInferenceTransport(baseUri, Model, Protocol == RemoteProtocol.Binary, MaxConnections),
        };
    }
}
