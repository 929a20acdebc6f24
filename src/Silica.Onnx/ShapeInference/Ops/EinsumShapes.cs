using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Einsum: explicit (<c>ij,jk->ik</c>) and implicit forms, with an ellipsis for broadcast batch axes.</summary>
internal static class EinsumShapes
{
    public static void Register(OpRegistry r) => r.Add("Einsum", Einsum);

    private static void Einsum(NodeContext c)
    {
        var equation = c.Attributes.GetString("equation", "").Replace(" ", "", StringComparison.Ordinal);
        var arrow = equation.IndexOf("->", StringComparison.Ordinal);
        var terms = (arrow >= 0 ? equation[..arrow] : equation).Split(',');
        if (terms.Length != c.InputCount)
        {
            throw c.Fail($"equation '{equation}' has {terms.Length} operands but the node has {c.InputCount} inputs");
        }
        var letters = new Dictionary<char, Dim>();
        var counts = new Dictionary<char, int>();
        var ellipsis = new List<TensorShape>();
        for (var t = 0; t < terms.Length; t++)
        {
            var shape = c.InputShape(t);
            var term = terms[t];
            var dots = term.IndexOf("...", StringComparison.Ordinal);
            var named = term.Replace("...", "", StringComparison.Ordinal);
            var ellipsisRank = shape.Rank - named.Length;
            if (ellipsisRank < 0 || (dots < 0 && ellipsisRank != 0))
            {
                throw c.Fail($"term '{term}' does not match input rank {shape.Rank}");
            }
            var axis = 0;
            for (var i = 0; i < term.Length; i++)
            {
                if (i == dots)
                {
                    ellipsis.Add(new TensorShape(shape.Skip(axis).Take(ellipsisRank)));
                    axis += ellipsisRank;
                    i += 2;
                    continue;
                }
                var ch = term[i];
                var d = shape[axis++];
                letters[ch] = letters.TryGetValue(ch, out var prev) ? (prev.IsKnown && prev.KnownValue == 1 ? d : DimMath.Merge(prev, d)) : d;
                counts[ch] = counts.GetValueOrDefault(ch) + 1;
            }
        }
        var batch = ellipsis.Count > 0 ? DimMath.Broadcast(c, ellipsis) : TensorShape.Scalar;
        // Implicit output: the ellipsis axes, then letters used once, in alphabetical order.
        var output = arrow >= 0 ? equation[(arrow + 2)..] : (ellipsis.Count > 0 ? "..." : "") + string.Concat(counts.Where(kv => kv.Value == 1).Select(kv => kv.Key).Order());
        var dims = new List<Dim>();
        for (var i = 0; i < output.Length; i++)
        {
            if (output[i] == '.')
            {
                dims.AddRange(batch);
                i += 2;
            }
            else
            {
                dims.Add(letters.TryGetValue(output[i], out var d) ? d : throw c.Fail($"output letter '{output[i]}' is not in any input"));
            }
        }
        c.SetOutput(0, c.InputElementType(0), new TensorShape(dims));
    }
}
