using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

internal sealed partial class PlanInterpreter
{
    private readonly record struct ConvGeometry(int N, int C, int H, int W, int M, int OH, int OW, int KH, int KW, int Group)
    {
        public int Cg => C / Group;

        public int Mg => M / Group;

        public int Patch => Cg * KH * KW;
    }

    private static ConvGeometry Geometry(long[] x, long[] w, long[] y, int group, bool transposed)
    {
        if (x.Length != 4 || w.Length != 4 || y.Length != 4)
        {
            throw new InvalidOperationException("convolution expects 4-D NCHW tensors (1-D is planned as H=1)");
        }
        // Conv weights are [M, C/group, kH, kW]; ConvTranspose weights are [C, M/group, kH, kW].
        var m = (int)(transposed ? w[1] * group : w[0]);
        var g = new ConvGeometry((int)x[0], (int)x[1], (int)x[2], (int)x[3], m, (int)y[2], (int)y[3], (int)w[2], (int)w[3], group);
        if (y[0] != x[0] || y[1] != m || g.C % group != 0 || m % group != 0 || (!transposed && w[1] != g.Cg) || (transposed && w[0] != g.C))
        {
            throw new InvalidOperationException($"inconsistent convolution shapes x[{string.Join(',', x)}] w[{string.Join(',', w)}] y[{string.Join(',', y)}] group {group}");
        }
        return g;
    }

    private void Conv(ConvStep s)
    {
        var g = Geometry(Buf(s.X).Shape, Buf(s.W).Shape, Buf(s.Y).Shape, s.Group, transposed: false);
        var x = Floats(s.X);
        var w = Floats(s.W);
        var bias = FloatsOrNull(s.Bias);
        var residual = s.Residual < 0 ? null : BroadcastTo(Floats(s.Residual), Buf(s.Residual).Shape, Buf(s.Y).Shape);
        var y = new float[Count(Buf(s.Y).ElementCount)];
        var spatial = g.OH * g.OW;

        void RunGroup(int n, int grp, bool parallelRows)
        {
            // im2col: column matrix [Cg·kH·kW, OH·OW] of the padded, strided, dilated input patches.
            var col = new float[g.Patch * spatial];
            for (var c = 0; c < g.Cg; c++)
            {
                var plane = ((n * g.C) + (grp * g.Cg) + c) * g.H * g.W;
                for (var kh = 0; kh < g.KH; kh++)
                {
                    for (var kw = 0; kw < g.KW; kw++)
                    {
                        var rowBase = ((((c * g.KH) + kh) * g.KW) + kw) * spatial;
                        for (var oh = 0; oh < g.OH; oh++)
                        {
                            var ih = (oh * s.Strides[0]) - s.Pads[0] + (kh * s.Dilations[0]);
                            for (var ow = 0; ow < g.OW; ow++)
                            {
                                var iw = (ow * s.Strides[1]) - s.Pads[1] + (kw * s.Dilations[1]);
                                col[rowBase + (oh * g.OW) + ow] = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? x[plane + (ih * g.W) + iw] : 0;
                            }
                        }
                    }
                }
            }
            void OutputChannel(int mm)
            {
                var channel = (grp * g.Mg) + mm;
                var outBase = ((n * g.M) + channel) * spatial;
                var row = y.AsSpan(outBase, spatial);
                MatMulKernel.Row(w, channel * g.Patch, g.Patch, col, 0, spatial, row);
                var b = bias?[channel] ?? 0;
                for (var i = 0; i < spatial; i++)
                {
                    var v = row[i] + b;
                    if (residual is not null)
                    {
                        v += residual[outBase + i];
                    }
                    row[i] = ScalarMath.Activate(v, s.Activation, s.ClipMin, s.ClipMax);
                }
            }
            if (parallelRows)
            {
                Parallel.For(0, g.Mg, OutputChannel);
            }
            else
            {
                for (var mm = 0; mm < g.Mg; mm++)
                {
                    OutputChannel(mm);
                }
            }
        }

        // Parallelise over output channels for dense convolutions, over (image, group) pairs for grouped ones.
        if (s.Group == 1)
        {
            for (var n = 0; n < g.N; n++)
            {
                RunGroup(n, 0, parallelRows: true);
            }
        }
        else
        {
            Parallel.For(0, g.N * s.Group, i => RunGroup(i / s.Group, i % s.Group, parallelRows: false));
        }
        Store(s.Y, y);
    }

    private void ConvTranspose(ConvTransposeStep s)
    {
        var g = Geometry(Buf(s.X).Shape, Buf(s.W).Shape, Buf(s.Y).Shape, s.Group, transposed: true);
        var x = Floats(s.X);
        var w = Floats(s.W);
        var bias = FloatsOrNull(s.Bias);
        var y = new float[Count(Buf(s.Y).ElementCount)];
        // Scatter form: each input pixel adds W-weighted contributions at oh = ih·stride − pad + kh·dilation.
        // One task per output plane, so no two tasks write the same element.
        Parallel.For(0, g.N * g.M, plane =>
        {
            var (n, o) = (plane / g.M, plane % g.M);
            var (grp, mm) = (o / g.Mg, o % g.Mg);
            var outBase = plane * g.OH * g.OW;
            var acc = new double[g.OH * g.OW];
            for (var c = 0; c < g.Cg; c++)
            {
                var ic = (grp * g.Cg) + c;
                var inBase = ((n * g.C) + ic) * g.H * g.W;
                var wBase = ((ic * g.Mg) + mm) * g.KH * g.KW;
                for (var ih = 0; ih < g.H; ih++)
                {
                    for (var iw = 0; iw < g.W; iw++)
                    {
                        var v = x[inBase + (ih * g.W) + iw];
                        for (var kh = 0; kh < g.KH; kh++)
                        {
                            var oh = (ih * s.Strides[0]) - s.Pads[0] + (kh * s.Dilations[0]);
                            if (oh < 0 || oh >= g.OH)
                            {
                                continue;
                            }
                            for (var kw = 0; kw < g.KW; kw++)
                            {
                                var ow = (iw * s.Strides[1]) - s.Pads[1] + (kw * s.Dilations[1]);
                                if (ow >= 0 && ow < g.OW)
                                {
                                    acc[(oh * g.OW) + ow] += v * w[wBase + (kh * g.KW) + kw];
                                }
                            }
                        }
                    }
                }
            }
            var b = bias?[o] ?? 0;
            for (var i = 0; i < acc.Length; i++)
            {
                y[outBase + i] = (float)(acc[i] + b);
            }
        });
        Store(s.Y, y);
    }

    private void Pool(PoolStep s)
    {
        var xs = Buf(s.X).Shape;
        var ys = Buf(s.Y).Shape;
        var (planes, h, w) = (Count(xs[0] * xs[1]), Count(xs[2]), Count(xs[3]));
        var (oh, ow) = (Count(ys[2]), Count(ys[3]));
        var x = Floats(s.X);
        var y = new float[Count(Buf(s.Y).ElementCount)];
        Parallel.For(0, planes, p =>
        {
            var inBase = p * h * w;
            if (s.Kind == PoolKind.GlobalAverage)
            {
                double sum = 0;
                for (var i = 0; i < h * w; i++)
                {
                    sum += x[inBase + i];
                }
                y[p] = (float)(sum / (h * w));
                return;
            }
            for (var r = 0; r < oh; r++)
            {
                for (var c = 0; c < ow; c++)
                {
                    var h0 = (r * s.Strides[0]) - s.Pads[0];
                    var w0 = (c * s.Strides[1]) - s.Pads[1];
                    double sum = 0;
                    var max = float.NegativeInfinity;
                    var count = 0;
                    for (var kh = 0; kh < s.Kernel[0]; kh++)
                    {
                        for (var kw = 0; kw < s.Kernel[1]; kw++)
                        {
                            var (ih, iw) = (h0 + kh, w0 + kw);
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w)
                            {
                                continue;
                            }
                            var v = x[inBase + (ih * w) + iw];
                            sum += v;
                            max = Math.Max(max, v);
                            count++;
                        }
                    }
                    // With count_include_pad the divisor counts pad cells but not cells past the padded edge (ONNX/ORT).
                    var divisor = s.CountIncludePad
                        ? (Math.Min(h0 + s.Kernel[0], h + s.Pads[2]) - h0) * (Math.Min(w0 + s.Kernel[1], w + s.Pads[3]) - w0)
                        : count;
                    y[(p * oh * ow) + (r * ow) + c] = s.Kind == PoolKind.Max ? max : (float)(sum / divisor);
                }
            }
        });
        Store(s.Y, y);
    }
}
