namespace Silica.Serving.Metrics;

/// <summary>Why a request for a known model version failed; the <c>reason</c> label of <c>silica_request_failure_total</c>.</summary>
public enum FailureReason
{
    /// <summary>The request did not match the model (HTTP 400).</summary>
    Invalid,

    /// <summary>The version was not ready or the server was draining (HTTP 503).</summary>
    NotReady,

    /// <summary>The batcher's queue was full (HTTP 429).</summary>
    QueueFull,

    /// <summary>The request waited past its queue timeout and never ran.</summary>
    QueueTimeout,

    /// <summary>The caller cancelled or disconnected.</summary>
    Canceled,

    /// <summary>The backend failed running the batch (HTTP 500).</summary>
    Backend,
}

/// <summary>Label values of <see cref="FailureReason"/>.</summary>
internal static class FailureReasons
{
    public static readonly string[] Labels = ["invalid", "not_ready", "queue_full", "queue_timeout", "canceled", "backend"];

    public static int Count => Labels.Length;

    public static string Label(this FailureReason reason) => Labels[(int)reason];
}
