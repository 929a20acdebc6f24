using Silica.Prediction.Serving;

namespace Silica.Advisor.Planning;

/// <summary>
/// The best batcher setting for one replica layout and precision, and what it takes to serve the required load with it.
/// Figures come in three: central, and at the fast (low-latency) and slow ends of the curve's band.
/// </summary>
public sealed record ReplicaPlan
{
    /// <summary>Whether the layout can meet the SLO at all.</summary>
    public bool Feasible { get; init; }

    /// <summary>Why not, when infeasible.</summary>
    public string? Reason { get; init; }

    /// <summary>The chosen batcher setting.</summary>
    public BatcherPolicy? Policy { get; init; }

    /// <summary>Highest load one replica serves under the SLO: central, fast end, slow end (requests/s).</summary>
    public (double Central, double Fast, double Slow) ReplicaCapacity { get; init; }

    /// <summary>
    /// Highest load one replica serves under the SLO with the batcher set for throughput (which may differ from the
    /// chosen setting when the required load needs less): central, fast end, slow end (requests/s).
    /// </summary>
    public (double Central, double Fast, double Slow) PeakReplicaCapacity { get; init; }

    /// <summary>Instances needed: central, fast end, slow end.</summary>
    public (int Central, int Fast, int Slow) Instances { get; init; }

    /// <summary>Simulated p99 at the required load (s): central, fast end, slow end.</summary>
    public (double Central, double Fast, double Slow) P99Seconds { get; init; }

    /// <summary>Share of time each replica is busy at the required load (central).</summary>
    public double Utilization { get; init; }

    /// <summary>Load each replica sees at the required load (central), requests/s.</summary>
    public double ReplicaLoad { get; init; }

    /// <summary>An infeasible plan with its reason.</summary>
    public static ReplicaPlan Infeasible(string reason) => new() { Feasible = false, Reason = reason };
}
