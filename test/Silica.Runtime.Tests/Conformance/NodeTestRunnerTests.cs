using Silica.Onnx.Graph;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Conformance;
using Silica.Runtime.Tensors;
using Silica.Tests;

namespace Silica.Runtime.Tests.Conformance;

public sealed class NodeTestRunnerTests
{
    // ONNX Runtime's own backend-test filter (onnxruntime/test/onnx/.../onnx_backend_test_series_filters.jsonc) excludes these:
    // its downsampling with align_corners differs from the ONNX reference. They fail here too, as they should.
    private static readonly string[] KnownOrtDeviations =
    [
        "test_resize_downsample_scales_cubic_align_corners",
        "test_resize_downsample_scales_linear_align_corners",
    ];

    private static string NodeRoot => Path.Combine(TestData.OnnxBackendData, "node");

    [Theory]
    [InlineData("Add")]
    [InlineData("Conv")]
    [InlineData("Softmax")]
    [InlineData("Gather")]
    [InlineData("Resize")]
    [InlineData("MatMul")]
    [InlineData("Relu")]
    public void Run_CpuBackendOnRealNodeTests_AllPass(string op)
    {
        var report = NodeTestRunner.Run(new CpuBackend(), NodeRoot, new NodeTestOptions { OpFilter = [op] });

        Assert.NotEmpty(report.Results);
        Assert.All(report.Results, r => Assert.Equal(op, r.OpType));
        var failed = report.Results.Where(r => r.Outcome != NodeTestOutcome.Passed).Select(r => r.Name).Except(KnownOrtDeviations);
        Assert.Empty(failed);
        var coverage = Assert.Single(report.Coverage);
        Assert.Equal(report.Results.Count, coverage.Passed + coverage.Failed);
        Assert.True(coverage.Passed > coverage.Failed, $"only {coverage.Passed} of {coverage.Total} {op} tests passed");
    }

    [Fact]
    public void Run_ExpandedTest_CountsUnderTheOperatorItExpands()
    {
        var report = NodeTestRunner.Run(new CpuBackend(), Path.Combine(NodeRoot, "test_softmax_axis_0_expanded"));

        var result = Assert.Single(report.Results);
        Assert.Equal("Softmax", result.OpType);
        Assert.Equal(NodeTestOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void Run_Bf16InputStoredAsUInt16_ReadsTheBitsAsBf16AndPasses()
    {
        // This test data predates BF16's own type code and stores BF16 tensors as UINT16.
        var report = NodeTestRunner.Run(new CpuBackend(), Path.Combine(NodeRoot, "test_cast_BFLOAT16_to_FLOAT"));

        var result = Assert.Single(report.Results);
        Assert.True(result.Outcome == NodeTestOutcome.Passed, result.Reason);
    }

    [Fact]
    public void Run_Bf16OutputStoredAsUInt16_ComparesAsBf16WithinOneUlp()
    {
        // The reference truncates FP32 to BF16; ONNX Runtime rounds to nearest. Read as BF16 the two differ by at
        // most one BF16 ulp (2^-8 relative); read as raw UINT16 they would differ by thousands.
        var report = NodeTestRunner.Run(new CpuBackend(), Path.Combine(NodeRoot, "test_cast_FLOAT_to_BFLOAT16"));

        var result = Assert.Single(report.Results);
        Assert.NotNull(result.Comparison);
        Assert.InRange(result.MaxRelativeError, 0, 1.0 / 128);
    }

    [Fact]
    public void Run_RandomOutputTest_IsSkippedNotFailed()
    {
        var report = NodeTestRunner.Run(new CpuBackend(), Path.Combine(NodeRoot, "test_bernoulli"));

        var result = Assert.Single(report.Results);
        Assert.Equal(NodeTestOutcome.Skipped, result.Outcome);
        Assert.Contains("random", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BackendReturnsWrongValues_ReportsFailedWithErrors()
    {
        var backend = new OffsetBackend(new CpuBackend(), offset: 0.5f);

        var report = NodeTestRunner.Run(backend, Path.Combine(NodeRoot, "test_add"));

        var result = Assert.Single(report.Results);
        Assert.Equal(NodeTestOutcome.Failed, result.Outcome);
        Assert.Equal(0.5, result.MaxAbsoluteError, 1e-6);
        Assert.Contains("outside tolerance", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.Failed);
    }

    [Fact]
    public void Run_OffsetWithinLooseTolerance_Passes()
    {
        var backend = new OffsetBackend(new CpuBackend(), offset: 0.5f);

        var report = NodeTestRunner.Run(backend, Path.Combine(NodeRoot, "test_add"), new NodeTestOptions { Tolerances = new(0, 0.6) });

        Assert.Equal(NodeTestOutcome.Passed, Assert.Single(report.Results).Outcome);
    }

    [Fact]
    public void Run_BackendThrowsNotSupportedOnLoad_ReportsSkippedWithReason()
    {
        var backend = new RefusingBackend(new CpuBackend(), canRun: true);

        var report = NodeTestRunner.Run(backend, NodeRoot, new NodeTestOptions { OpFilter = ["Add"] });

        Assert.NotEmpty(report.Results);
        Assert.All(report.Results, r => Assert.Equal(NodeTestOutcome.Skipped, r.Outcome));
        Assert.All(report.Results, r => Assert.Contains("no kernel for Add", r.Reason, StringComparison.Ordinal));
        Assert.Equal(report.Results.Count, Assert.Single(report.Coverage).Skipped);
    }

    [Fact]
    public void Run_BackendSaysCannotRun_ReportsSkippedWithItsReason()
    {
        var backend = new RefusingBackend(new CpuBackend(), canRun: false);

        var report = NodeTestRunner.Run(backend, Path.Combine(NodeRoot, "test_relu"));

        var result = Assert.Single(report.Results);
        Assert.Equal(NodeTestOutcome.Skipped, result.Outcome);
        Assert.Equal("operator Relu is not implemented", result.Reason);
    }

    [Fact]
    public void Run_Fp16Precision_UsesTwentyTimesTheTolerance()
    {
        var report = NodeTestRunner.Run(new CpuBackend(), Path.Combine(NodeRoot, "test_add"), new NodeTestOptions { Precision = Precision.Fp16 });

        Assert.Equal(2e-2, report.Tolerances.Relative, 1e-12);
        Assert.Equal(2e-4, report.Tolerances.Absolute, 1e-12);
        Assert.Equal(Precision.Fp16, report.Precision);
    }

    [Fact]
    public void Run_MissingFolder_Throws()
    {
        var missing = Path.Combine(Path.GetTempPath(), "silica-no-such-node-tests-" + Guid.NewGuid().ToString("N"));

        Assert.Throws<DirectoryNotFoundException>(() => NodeTestRunner.Run(new CpuBackend(), missing));
    }

    /// <summary>Adds a constant to every float output: a backend that computes the wrong answer.</summary>
    private sealed class OffsetBackend(IBackend inner, float offset) : DelegatingBackend(inner)
    {
        public override ISession CreateSession(string path, SessionOptions? options = null) => new OffsetSession(Inner.CreateSession(path, options), offset);
    }

    private sealed class OffsetSession(ISession inner, float offset) : ISession
    {
        public string ModelName => inner.ModelName;
        public IReadOnlyList<TensorInfo> Inputs => inner.Inputs;
        public IReadOnlyList<TensorInfo> Outputs => inner.Outputs;
        public bool IsThreadSafe => inner.IsThreadSafe;

        public void Run(ReadOnlySpan<Tensor> inputs, Span<Tensor> outputs)
        {
            inner.Run(inputs, outputs);
            foreach (var t in outputs)
            {
                foreach (ref var v in t.AsFloats())
                {
                    v += offset;
                }
            }
        }

        public void Dispose() => inner.Dispose();
    }

    /// <summary>A backend without kernels: either says so up front, or only when loading.</summary>
    private sealed class RefusingBackend(IBackend inner, bool canRun) : DelegatingBackend(inner)
    {
        public override BackendSupport CanRun(OnnxModel model) =>
            canRun ? BackendSupport.Supported : BackendSupport.NotSupported($"operator {model.Graph.Nodes[0].OpType} is not implemented");

        public override ISession CreateSession(string path, SessionOptions? options = null) =>
            throw new NotSupportedException($"no kernel for {OnnxModel.Load(path).Graph.Nodes[0].OpType}");
    }

    private abstract class DelegatingBackend(IBackend inner) : IBackend
    {
        protected IBackend Inner => inner;
        public string Name => "test-" + inner.Name;
        public DeviceInfo Device => inner.Device;
        public IReadOnlyList<Precision> SupportedPrecisions => inner.SupportedPrecisions;
        public virtual BackendSupport CanRun(OnnxModel model) => inner.CanRun(model);
        public ISession CreateSession(OnnxModel model, SessionOptions? options = null) => throw new NotSupportedException("the runner loads from files");
        public abstract ISession CreateSession(string path, SessionOptions? options = null);
        public ISession CreateSession(ReadOnlyMemory<byte> modelBytes, SessionOptions? options = null) => throw new NotSupportedException("the runner loads from files");
    }
}
