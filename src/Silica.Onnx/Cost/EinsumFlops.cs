using Silica.Onnx.Graph;

namespace Silica.Onnx.Cost;

/// <summary>Einsum as a contraction: 2·(output elements)·∏(sizes of the indices summed away).</summary>
internal static class EinsumFlops
{
    public static double? Count(Node node, long? outElements)
    {
        var equation = node.Attributes.GetString("equation", "").Replace(" ", "", StringComparison.Ordinal);
        var arrow = equation.IndexOf("->", StringComparison.Ordinal);
        if (outElements is null || arrow < 0)
        {
            return null;
        }
        var terms = equation[..arrow].Split(',');
        var output = equation[(arrow + 2)..];
        var sizes = new Dictionary<char, long>();
        for (var t = 0; t < terms.Length && t < node.Inputs.Count; t++)
        {
            if (node.Inputs[t]?.Type?.Shape is not { } shape)
            {
                return null;
            }
            var letters = terms[t].Replace("...", "", StringComparison.Ordinal);
            // With an ellipsis the named letters are the trailing dims when it comes first, leading otherwise.
            var offset = terms[t].StartsWith("...", StringComparison.Ordinal) ? shape.Rank - letters.Length : 0;
            for (var i = 0; i < letters.Length; i++)
            {
                var d = shape[offset + i];
                if (!d.IsKnown)
                {
                    return null;
                }
                sizes[letters[i]] = d.KnownValue;
            }
        }
        double contracted = 1;
        foreach (var (letter, size) in sizes)
        {
            if (!output.Contains(letter, StringComparison.Ordinal))
            {
                contracted *= size;
            }
        }
        return (terms.Length > 1 ? 2.0 : 1.0) * outElements.Value * contracted;
    }
}
