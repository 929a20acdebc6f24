using Silica.Runtime.Tensors;

namespace Silica.Optimization.Data;

/// <summary>One model input set (a tensor per runtime input, by name) and, when known, its label.</summary>
/// <param name="Inputs">A tensor for every runtime input of the model, keyed by input name.</param>
/// <param name="Label">The ground truth when the data set has one (the text of a rendered OCR line), else null.</param>
/// <param name="Id">Where the sample came from (a file name or an index), for messages.</param>
public sealed record Sample(IReadOnlyDictionary<string, Tensor> Inputs, string? Label, string Id);
