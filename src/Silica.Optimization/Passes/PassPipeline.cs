using Silica.Onnx.Graph;

namespace Silica.Optimization.Passes;

/// <summary>Runs graph passes in order, round after round, until a round changes nothing.</summary>
public static class PassPipeline
{
    /// <summary>The most rounds <see cref="Run"/> makes; every pass shrinks the graph, so a few rounds reach a fixed point.</summary>
    public const int MaxRounds = 8;

    /// <summary>
    /// The passes <c>silica optimize</c> runs by default: constant folding, identity and dead-node elimination,
    /// Conv+BatchNormalization folding, MatMul+Add → Gemm, and shape simplification (with dimensions already bound).
    /// </summary>
    public static IReadOnlyList<IGraphPass> Default { get; } =
    [
        new FoldConstantsPass(),
        new EliminateIdentityPass(),
        new FoldBatchNormPass(),
        new FuseMatMulAddPass(),
        new SimplifyShapesPass(),
        new EliminateDeadPass(),
    ];

    /// <summary>All passes by name, for the command line.</summary>
    public static IReadOnlyList<IGraphPass> All => Default;

    /// <summary>Finds a pass by its <see cref="IGraphPass.Name"/>, or returns null.</summary>
    public static IGraphPass? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Applies <paramref name="passes"/> to <paramref name="model"/> in order, repeating the whole sequence
    /// until a round changes nothing (at most <see cref="MaxRounds"/> rounds).
    /// </summary>
    /// <returns>One report per pass, in order, summing its changes and details over all rounds.</returns>
    public static IReadOnlyList<PassReport> Run(OnnxModel model, IEnumerable<IGraphPass> passes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(passes);
        var list = passes.ToList();
        var changes = new int[list.Count];
        var details = list.Select(_ => new List<string>()).ToArray();
        for (var round = 0; round < MaxRounds; round++)
        {
            var any = false;
            for (var i = 0; i < list.Count; i++)
            {
                var report = list[i].Apply(model);
                if (report.Changes > 0)
                {
                    any = true;
                    changes[i] += report.Changes;
                }
                if (report.Changes > 0 || round == 0)
                {
                    // Lines about what a pass left alone repeat every round; the first round's say it once.
                    details[i].AddRange(report.Details);
                }
            }
            if (!any)
            {
                break;
            }
        }
        return [.. list.Select((p, i) => new PassReport(p.Name, changes[i], details[i]))];
    }
}
