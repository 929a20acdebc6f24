using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

internal sealed partial class PlanInterpreter
{
    private void LayerNorm(LayerNormStep s)
    {
        var x = Floats(s.X);
        var scale = Floats(s.Scale);
        var bias = FloatsOrNull(s.Bias);
        var (rows, cols) = (Count(s.Rows), Count(s.Cols));
        var y = new float[x.Length];
        Parallel.For(0, rows, r =>
        {
            var row = x.AsSpan(r * cols, cols);
            double mean = 0;
            foreach (var v in row)
            {
                mean += v;
            }
            mean /= cols;
            double variance = 0;
            foreach (var v in row)
            {
                variance += (v - mean) * (v - mean);
            }
            variance /= cols;
            var inv = 1 / Math.Sqrt(variance + s.Epsilon);
            for (var c = 0; c < cols; c++)
            {
                y[(r * cols) + c] = (float)(((row[c] - mean) * inv * scale[c]) + (bias?[c] ?? 0));
            }
        });
        Store(s.Y, y);
    }

    private void Softmax(SoftmaxStep s)
    {
        var x = Floats(s.X);
        var (outer, axis, inner) = (Count(s.Outer), Count(s.Axis), Count(s.Inner));
        var y = new float[x.Length];
        Parallel.For(0, outer * inner, task =>
        {
            var (o, i) = (task / inner, task % inner);
            var first = (o * axis * inner) + i;
            var max = float.NegativeInfinity;
            for (var a = 0; a < axis; a++)
            {
                max = Math.Max(max, x[first + (a * inner)]);
            }
            double sum = 0;
            for (var a = 0; a < axis; a++)
            {
                sum += Math.Exp(x[first + (a * inner)] - max);
            }
            for (var a = 0; a < axis; a++)
            {
                y[first + (a * inner)] = (float)(Math.Exp(x[first + (a * inner)] - max) / sum);
            }
        });
        Store(s.Y, y);
    }

    private void Reduce(ReduceStep s)
    {
        var x = Floats(s.X);
        var (outer, reduced, inner) = (Count(s.Outer), Count(s.Reduced), Count(s.Inner));
        var y = new float[outer * inner];
        Parallel.For(0, outer * inner, task =>
        {
            var (o, i) = (task / inner, task % inner);
            var first = (o * reduced * inner) + i;
            double acc = s.Kind switch
            {
                ReduceKind.Max => double.NegativeInfinity,
                ReduceKind.Min => double.PositiveInfinity,
                _ => 0,
            };
            for (var r = 0; r < reduced; r++)
            {
                var v = x[first + (r * inner)];
                acc = s.Kind switch
                {
                    ReduceKind.Max => Math.Max(acc, v),
                    ReduceKind.Min => Math.Min(acc, v),
                    _ => acc + v,
                };
            }
            y[task] = (float)(s.Kind == ReduceKind.Mean ? acc / reduced : acc);
        });
        Store(s.Y, y);
    }
}
