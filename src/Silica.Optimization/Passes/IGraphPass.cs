using Silica.Onnx.Graph;

namespace Silica.Optimization.Passes;

/// <summary>
/// One graph rewrite that keeps the model's outputs equal (within floating-point reassociation) to the
/// original's. Passes change the model in place and say what they changed.
/// </summary>
public interface IGraphPass
{
    /// <summary>Short kebab-case name used on the command line and in reports, e.g. <c>fold-constants</c>.</summary>
    string Name { get; }

    /// <summary>Rewrites <paramref name="model"/> in place.</summary>
    /// <returns>What changed; <see cref="PassReport.Changes"/> is 0 when the pass found nothing to do.</returns>
    PassReport Apply(OnnxModel model);
}
