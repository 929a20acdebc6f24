using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Silica.Serving.Http;

/// <summary>A request refused for its key: 401 (none or wrong) or 403 (valid, but not for this endpoint).</summary>
internal sealed class ApiKeyException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>What a request's key entitles it to.</summary>
internal enum KeyRole
{
    None,
    Inference,
    Admin,
}

/// <summary>
/// The optional inference and admin keys. A key is read from <c>Authorization: Bearer K</c> or <c>X-API-Key: K</c>
/// and compared with <see cref="CryptographicOperations.FixedTimeEquals"/> over SHA-256 digests, so neither the
/// content nor the length of a configured key leaks through response timing.
/// </summary>
internal sealed class ApiKeys
{
    private readonly byte[]? _inference;
    private readonly byte[]? _admin;

    public ApiKeys(string? inferenceKey, string? adminKey)
    {
        _inference = Digest(inferenceKey);
        _admin = Digest(adminKey);
    }

    /// <summary>True when inference endpoints need a key (an inference key or an admin key is set).</summary>
    public bool InferenceProtected => _inference is not null || _admin is not null;

    /// <summary>Who the request's key says it is.</summary>
    public KeyRole Identify(HttpRequest request)
    {
        var presented = Presented(request);
        if (presented.Length == 0)
        {
            return KeyRole.None;
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented);
        SHA256.HashData(bytes, digest);
        // Both comparisons always run: which one matched must not show in the timing either.
        var admin = _admin is not null && CryptographicOperations.FixedTimeEquals(digest, _admin);
        var inference = _inference is not null && CryptographicOperations.FixedTimeEquals(digest, _inference);
        return admin ? KeyRole.Admin : inference ? KeyRole.Inference : KeyRole.None;
    }

    /// <summary>Throws unless the request may call an inference endpoint.</summary>
    public void RequireInference(HttpRequest request)
    {
        if (InferenceProtected && Identify(request) == KeyRole.None)
        {
            throw Unauthorized(request);
        }
    }

    /// <summary>Throws unless the request carries the admin key.</summary>
    public void RequireAdmin(HttpRequest request)
    {
        switch (Identify(request))
        {
            case KeyRole.Admin:
                return;
            case KeyRole.Inference:
                throw new ApiKeyException(StatusCodes.Status403Forbidden, "this endpoint needs the admin key; the key sent is an inference key");
            default:
                throw Unauthorized(request);
        }
    }

    private static ApiKeyException Unauthorized(HttpRequest request)
    {
        return new ApiKeyException(StatusCodes.Status401Unauthorized, Presented(request).Length == 0
            ? "an API key is required (Authorization: Bearer <key> or X-API-Key: <key>)"
            : "the API key is not valid");
    }

    private static string Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out StringValues key) && key.Count == 1)
        {
            return key[0] ?? "";
        }
        if (request.Headers.Authorization is { Count: 1 } auth && auth[0] is { } value
            && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value[7..].Trim();
        }
        return "";
    }

    private static byte[]? Digest(string? key) => string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
