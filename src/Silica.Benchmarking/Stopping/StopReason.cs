namespace Silica.Benchmarking.Stopping;

/// <summary>Why a run stopped issuing queries.</summary>
public enum StopReason
{
    /// <summary>Still running.</summary>
    None,

    /// <summary>Minimums reached and the last windows were stable.</summary>
    Stable,

    /// <summary>Minimums reached and stability was not required.</summary>
    MinimumsReached,

    /// <summary>The maximum duration was reached (stable or not).</summary>
    MaxDuration,

    /// <summary>The precomputed Server schedule ran out before another rule fired.</summary>
    ScheduleExhausted,
}
