using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Operators that move elements between axes: Transpose, DepthToSpace, SpaceToDepth.</summary>
internal static class LayoutShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Transpose", Transpose);
        r.Add("DepthToSpace", c => BlockRearrange(c, toSpace: true));
        r.Add("SpaceToDepth", c => BlockRearrange(c, toSpace: false));
    }

    private static void Transpose(NodeContext c)
    {
        var input = c.InputType(0);
        if (input.Shape is not { } shape)
        {
            c.SetOutput(0, input.ElementType, null);
            return;
        }
        var perm = c.Attributes.GetInts("perm") ?? [.. Enumerable.Range(0, shape.Rank).Reverse().Select(i => (long)i)];
        if (perm.Length != shape.Rank || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= shape.Rank))
        {
            throw c.Fail($"perm [{string.Join(",", perm)}] is not a permutation of {shape.Rank} axes");
        }
        c.SetOutput(0, input.ElementType, new TensorShape(perm.Select(p => shape[(int)p])));
    }

    private static void BlockRearrange(NodeContext c, bool toSpace)
    {
        var x = c.InputShape(0);
        if (x.Rank != 4)
        {
            throw c.Fail($"input must be rank 4, got {x}");
        }
        var b = c.Attributes.GetInt("blocksize", 0);
        if (b <= 0)
        {
            throw c.Fail("blocksize must be positive");
        }
        var channels = toSpace
            ? DimMath.Map(x[1], n => n % (b * b) == 0 ? n / (b * b) : throw c.Fail($"{n} channels do not divide by blocksize² {b * b}"))
            : DimMath.Multiply(x[1], b * b);
        Dim Spatial(Dim d) => toSpace ? DimMath.Multiply(d, b) : DimMath.Map(d, n => n % b == 0 ? n / b : throw c.Fail($"size {n} does not divide by blocksize {b}"));
        c.SetOutput(0, c.InputElementType(0), new TensorShape(x[0], channels, Spatial(x[2]), Spatial(x[3])));
    }
}
