using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Silica.Serving.Http;

/// <summary>
/// A request body read whole into a pooled buffer (a tensor's bytes are then sliced from it without copying).
/// A declared Content-Length over the limit is refused before a byte is read; a chunked body is refused as soon as
/// it passes the limit, so memory stays bounded by the limit whatever the client sends.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var limit = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(declared, limit);
        }
        // Room for one byte past the limit, so a body that is exactly the limit is told apart from a longer one.
        var cap = limit + 1;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength + 1 ?? 4096, 16, cap));
        var length = 0;
        try
        {
            while (true)
            {
                var room = Math.Min(buffer.Length, cap) - length;
                if (room == 0)
                {
                    if (length > limit)
                    {
                        throw TooLarge(null, limit);
                    }
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                    continue;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, room), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            if (length > limit)
            {
                throw TooLarge(null, limit);
            }
            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Lets the garbage collector have the buffer instead of the pool: used when a request failed or was cancelled
    /// and the server might still read tensors sliced from it.
    /// </summary>
    public void Abandon() => _buffer = [];

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private static BadHttpRequestException TooLarge(long? declared, int limit) => new(
        declared is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"the request body is {d} bytes, over the {limit}-byte limit")
            : string.Create(CultureInfo.InvariantCulture, $"the request body is over the {limit}-byte limit"),
        StatusCodes.Status413PayloadTooLarge);
}
