using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

internal sealed partial class PlanInterpreter
{
    /// <summary>ONNX Resize on the two spatial axes of NCHW, computing source coordinates in float as ONNX Runtime does.</summary>
    private void Resize(ResizeStep s)
    {
        var xs = Buf(s.X).Shape;
        var ys = Buf(s.Y).Shape;
        if (xs.Length != 4 || ys.Length != 4 || xs[0] != ys[0] || xs[1] != ys[1])
        {
            throw new InvalidOperationException($"resize expects NCHW {Buf(s.X)} → {Buf(s.Y)} with equal N and C");
        }
        var (planes, h, w, oh, ow) = (Count(xs[0] * xs[1]), Count(xs[2]), Count(xs[3]), Count(ys[2]), Count(ys[3]));
        var x = Floats(s.X);
        var y = new float[planes * oh * ow];
        var rows = Enumerable.Range(0, oh).Select(r => SourceCoordinate(s.CoordinateMode, r, s.ScaleH, h, oh)).ToArray();
        var cols = Enumerable.Range(0, ow).Select(c => SourceCoordinate(s.CoordinateMode, c, s.ScaleW, w, ow)).ToArray();
        Parallel.For(0, planes, p =>
        {
            var inBase = p * h * w;
            for (var r = 0; r < oh; r++)
            {
                for (var c = 0; c < ow; c++)
                {
                    float value;
                    if (s.Mode == ResizeMode.Nearest)
                    {
                        var ih = NearestIndex(rows[r], s.NearestRound, h);
                        var iw = NearestIndex(cols[c], s.NearestRound, w);
                        value = x[inBase + (ih * w) + iw];
                    }
                    else
                    {
                        var (h0, h1, dh) = LinearTaps(rows[r], h);
                        var (w0, w1, dw) = LinearTaps(cols[c], w);
                        var top = (x[inBase + (h0 * w) + w0] * (1 - dw)) + (x[inBase + (h0 * w) + w1] * dw);
                        var bottom = (x[inBase + (h1 * w) + w0] * (1 - dw)) + (x[inBase + (h1 * w) + w1] * dw);
                        value = (top * (1 - dh)) + (bottom * dh);
                    }
                    y[(p * oh * ow) + (r * ow) + c] = value;
                }
            }
        });
        Store(s.Y, y);
    }

    private static float SourceCoordinate(string mode, int dst, float scale, int inLength, int outLength) => mode switch
    {
        "half_pixel" => ((dst + 0.5f) / scale) - 0.5f,
        "pytorch_half_pixel" => outLength > 1 ? ((dst + 0.5f) / scale) - 0.5f : 0f,
        "tf_half_pixel_for_nn" => (dst + 0.5f) / scale,
        "asymmetric" => dst / scale,
        "align_corners" => outLength == 1 ? 0f : dst * (inLength - 1) / (float)(outLength - 1),
        _ => throw new NotSupportedException($"resize coordinate_transformation_mode '{mode}'"),
    };

    private static int NearestIndex(float coordinate, string round, int length)
    {
        var isHalf = coordinate - MathF.Floor(coordinate) == 0.5f;
        var index = round switch
        {
            "round_prefer_floor" => isHalf ? MathF.Floor(coordinate) : MathF.Round(coordinate),
            "round_prefer_ceil" => isHalf ? MathF.Ceiling(coordinate) : MathF.Round(coordinate),
            "floor" => MathF.Floor(coordinate),
            "ceil" => MathF.Ceiling(coordinate),
            _ => throw new NotSupportedException($"resize nearest_mode '{round}'"),
        };
        return (int)Math.Clamp(index, 0, length - 1);
    }

    /// <summary>The two source taps and the weight of the second; coordinates outside the input clamp to its edge.</summary>
    private static (int Low, int High, float Weight) LinearTaps(float coordinate, int length)
    {
        var c = Math.Clamp(coordinate, 0, length - 1);
        var low = (int)c;
        var high = Math.Min(low + 1, length - 1);
        return (low, high, c - low);
    }
}
