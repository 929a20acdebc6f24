using Silica.Onnx.Building;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class GemmTests
{
    private const TensorDataType F = TensorDataType.Float;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Gemm_Transposes_MatchOnnxGemm(bool transA, bool transB)
    {
        const int M = 5, N = 7, K = 11;
        var a = Values(M * K, 1);
        var b = Values(K * N, 2);
        var c = Values(N, 3);
        long[] aShape = transA ? [K, M] : [M, K];
        long[] bShape = transB ? [N, K] : [K, N];
        var expected = RunNode("Gemm", [(a, aShape)], [(b, bShape), (c, [N])], [M, N],
            Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", transB ? 1 : 0), Attr.Float("alpha", 0.5f), Attr.Float("beta", 1f));

        var p = new TestPlan();
        var x = p.Input(F, aShape);
        var w = p.Weight(F, bShape, b);
        var bias = p.Weight(F, [N], c);
        var y = p.Output(F, M, N);
        p.Step(new GemmStep("gemm", x, w, y, bias, -1, M, N, K, 1, 0, 0, 0, transA, transB, 0.5f, 0, Activation.None));

        AssertClose(expected, p.Run(a));
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("GeluErf")]
    [InlineData("Clip")]
    public void Gemm_BatchedWithBroadcastWeightBiasResidualAndActivation_MatchesClosedForm(string activationName)
    {
        var activation = Enum.Parse<Activation>(activationName);
        const int Batch = 3, M = 4, N = 9, K = 6;
        var a = Values(Batch * M * K, 4);
        var b = Values(K * N, 5);
        var bias = Values(N, 6);
        var r = Values(Batch * M * N, 7);
        var p = new TestPlan();
        var ai = p.Input(F, Batch, M, K);
        var ri = p.Input(F, Batch, M, N);
        var bi = p.Weight(F, [K, N], b);
        var biasi = p.Weight(F, [N], bias);
        var y = p.Output(F, Batch, M, N);
        // StrideB = 0: one weight matrix for the whole batch.
        p.Step(new GemmStep("gemm", ai, bi, y, biasi, ri, M, N, K, Batch, M * K, 0, M * N, false, false, 2f, 0.5f, activation, -0.3f, 0.4f));

        var actual = p.Run(a, r);

        var expected = new float[Batch * M * N];
        for (var t = 0; t < Batch; t++)
        {
            for (var i = 0; i < M; i++)
            {
                for (var j = 0; j < N; j++)
                {
                    double dot = 0;
                    for (var k = 0; k < K; k++)
                    {
                        dot += a[(t * M * K) + (i * K) + k] * b[(k * N) + j];
                    }
                    var v = (2 * dot) + bias[j] + (0.5 * r[(t * M * N) + (i * N) + j]);
                    expected[(t * M * N) + (i * N) + j] = activation switch
                    {
                        Activation.Relu => (float)Math.Max(v, 0),
                        Activation.GeluErf => (float)(v * 0.5 * (1 + ScalarMath.Erf(v / Math.Sqrt(2)))),
                        _ => (float)Math.Clamp(v, -0.3, 0.4),
                    };
                }
            }
        }
        AssertClose(expected, actual);
        // The activation really acted: clamped values for Relu/Clip, GELU's small negative lobe.
        Assert.Contains(actual, v => activation == Activation.GeluErf ? v is < 0 and > -0.2f : v == 0 || v == -0.3f);
    }

    [Fact]
    public void Gemm_BatchedMatMulBothOperandsBatched_MatchesOnnxMatMul()
    {
        const int Batch = 2, M = 3, N = 5, K = 4;
        var a = Values(Batch * M * K, 8);
        var b = Values(Batch * K * N, 9);
        var expected = RunNode("MatMul", [(a, [Batch, M, K]), (b, [Batch, K, N])], [], [Batch, M, N]);

        var p = new TestPlan();
        var ai = p.Input(F, Batch, M, K);
        var bi = p.Input(F, Batch, K, N);
        var y = p.Output(F, Batch, M, N);
        p.Step(new GemmStep("bmm", ai, bi, y, -1, -1, M, N, K, Batch, M * K, K * N, M * N, false, false, 1, 0, Activation.None));

        AssertClose(expected, p.Run(a, b));
    }

    [Fact]
    public void Gemm_LargeEnoughToRunInParallel_MatchesOnnxMatMul()
    {
        const int M = 64, N = 130, K = 300;
        var a = Values(M * K, 10);
        var b = Values(K * N, 11);
        var expected = RunNode("MatMul", [(a, [M, K])], [(b, [K, N])], [M, N]);

        var p = new TestPlan();
        var ai = p.Input(F, M, K);
        var y = p.Output(F, M, N);
        p.Step(new GemmStep("mm", ai, p.Weight(F, [K, N], b), y, -1, -1, M, N, K, 1, 0, 0, 0, false, false, 1, 0, Activation.None));

        AssertClose(expected, p.Run(a), 1e-4f);
    }
}
