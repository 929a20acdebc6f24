using System.Runtime.CompilerServices;
using Silica.Runtime.Backends;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// Facts about a plan that the contract's <see cref="ExecutionPlan"/> has no field for: the precision it was planned in
/// and the GEMM B weights the executor should quantise to FP8. Attached to the plan object without changing its type.
/// </summary>
internal sealed record ExecutionPlanInfo(Precision Precision, IReadOnlyList<int> Fp8Weights)
{
    private static readonly ConditionalWeakTable<ExecutionPlan, ExecutionPlanInfo> Infos = new();

    /// <summary>The info the planner attached, or Fp32 with no FP8 weights for a plan built by hand.</summary>
    public static ExecutionPlanInfo Of(ExecutionPlan plan) =>
        Infos.TryGetValue(plan, out var info) ? info : new ExecutionPlanInfo(Precision.Fp32, []);

    internal static void Attach(ExecutionPlan plan, ExecutionPlanInfo info) => Infos.AddOrUpdate(plan, info);
}
