namespace Silica.Onnx.Zoo;

/// <summary>What the zoo knows about one of its models before building it.</summary>
/// <param name="Name">The name to pass to <see cref="ModelZoo.Build"/> (or to write as <c>zoo:NAME</c>).</param>
/// <param name="Description">One line: the architecture and where it comes from.</param>
/// <param name="Family">The kind of model.</param>
/// <param name="DefaultBindings">Typical sizes for the symbolic dims (<c>batch</c>, and <c>seq</c> for text models).</param>
/// <param name="Inputs">The graph inputs, as <c>name type[dims]</c> joined by commas.</param>
/// <param name="Outputs">The graph outputs, in the same form.</param>
/// <param name="Aliases">Other names the zoo accepts for this model.</param>
public sealed record ZooModelInfo(
    string Name,
    string Description,
    ZooModelFamily Family,
    IReadOnlyDictionary<string, long> DefaultBindings,
    string Inputs,
    string Outputs,
    IReadOnlyList<string> Aliases)
{
    /// <summary>
    /// True for models too large to fill with weights (the full-size Llama presets): the zoo always builds them
    /// weightless, for shape, cost and prediction work only.
    /// </summary>
    public bool WeightlessOnly { get; init; }
}
