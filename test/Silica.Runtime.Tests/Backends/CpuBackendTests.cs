using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Tensor = Silica.Runtime.Tensors.Tensor;

namespace Silica.Runtime.Tests.Backends;

public sealed class CpuBackendTests
{
    private static readonly Silica.Runtime.Backends.SessionOptions OneThread = new() { IntraOpThreads = 1, AllowSpinning = false };

    [Fact]
    public void Run_SmallMlp_MatchesDirectOnnxRuntimeBitForBit()
    {
        var model = TestModels.Mlp();
        var bytes = model.ToBytes();
        var input = TestModels.Values(3 * 16, seed: 1);
        float[] expected;
        using (var ort = new InferenceSession(bytes))
        using (var x = OrtValue.CreateTensorValueFromMemory(input, [3, 16]))
        using (var results = ort.Run(new RunOptions(), ["x"], [x], ["y"]))
        {
            expected = results[0].GetTensorDataAsSpan<float>().ToArray();
        }

        using var session = new CpuBackend().CreateSession(bytes, OneThread);
        using var xt = Tensor.FromArray(input, [3, 16]);
        using var yt = Tensor.Allocate(TensorDataType.Float, [3, 8]);
        session.Run([xt], [yt]);

        Assert.Equal(expected.Length, yt.AsFloats().Length);
        Assert.Equal(expected, yt.AsFloats().ToArray());
        Assert.Contains(expected, v => v > 0);
    }

    [Fact]
    public void Metadata_SymbolicBatch_ReportsNamesTypesAndSymbols()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);

        var x = Assert.Single(session.Inputs);
        var y = Assert.Single(session.Outputs);
        Assert.Equal("x", x.Name);
        Assert.Equal(TensorDataType.Float, x.ElementType);
        Assert.Equal("batch", x.Shape[0].Symbol);
        Assert.Equal(16, x.Shape[1].Value);
        Assert.Equal("y", y.Name);
        Assert.True(y.HasDynamicBatch);
        Assert.Equal("mlp", session.ModelName);
    }

    [Fact]
    public void Run_ReusedBuffersWithNewValuesAndBatchSizes_ProducesFreshResults()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var reference = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var x = Tensor.Allocate(TensorDataType.Float, [4, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [4, 8]);

        foreach (var (batch, seed) in new[] { (4, 1), (2, 2), (4, 3), (1, 4), (2, 5) })
        {
            x.Reshape(batch, 16);
            y.Reshape(batch, 8);
            TestModels.Values(batch * 16, seed).CopyTo(x.AsFloats());
            session.Run([x], [y]);

            using var fx = Tensor.FromArray(TestModels.Values(batch * 16, seed), [batch, 16]);
            using var fy = Tensor.Allocate(TensorDataType.Float, [batch, 8]);
            reference.Run([fx], [fy]);
            Assert.Equal(fy.AsFloats().ToArray(), y.AsFloats().ToArray());
        }
    }

    [Fact]
    public void Run_SteadyStateWithReusedTensors_AllocatesNothing()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var x = Tensor.FromArray(TestModels.Values(32, 1), [2, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [2, 8]);
        Tensor[] inputs = [x];
        Tensor[] outputs = [y];
        session.Run(inputs, outputs);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            session.Run(inputs, outputs);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Run_NativeMemoryTensors_MatchPinnedArrayTensors()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        var values = TestModels.Values(2 * 16, 9);
        using var x1 = Tensor.FromArray(values, [2, 16]);
        using var y1 = Tensor.Allocate(TensorDataType.Float, [2, 8]);
        using var x2 = Tensor.AllocateNative(TensorDataType.Float, [2, 16]);
        using var y2 = Tensor.AllocateNative(TensorDataType.Float, [2, 8]);
        values.CopyTo(x2.AsFloats());

        session.Run([x1], [y1]);
        session.Run([x2], [y2]);

        Assert.Equal(y1.AsFloats().ToArray(), y2.AsFloats().ToArray());
    }

    [Fact]
    public void CreateSession_DimensionBinding_FixesBatchAndRejectsOtherSizes()
    {
        var options = OneThread with { DimensionBindings = new Dictionary<string, long> { ["batch"] = 2 } };
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), options);
        Assert.Equal(2, session.Inputs[0].Shape[0].Value);
        Assert.Equal(2, session.Outputs[0].Shape[0].Value);

        using var x = Tensor.FromArray(TestModels.Values(32, 1), [2, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [2, 8]);
        session.Run([x], [y]);
        Assert.Contains(y.AsFloats().ToArray(), v => v != 0);

        using var x3 = Tensor.Allocate(TensorDataType.Float, [3, 16]);
        using var y3 = Tensor.Allocate(TensorDataType.Float, [3, 8]);
        var e = Assert.Throws<InvalidInputException>(() => session.Run([x3], [y3]));
        Assert.Contains("[2,16]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongInputType_ThrowsInvalidInputNamingInput()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var x = Tensor.FromArray(new long[32], [2, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [2, 8]);

        var e = Assert.Throws<InvalidInputException>(() => session.Run([x], [y]));

        Assert.Equal("model 'mlp': input 'x' expects float, got int64", e.Message);
    }

    [Theory]
    [InlineData(new long[] { 2, 15 })]
    [InlineData(new long[] { 32 })]
    [InlineData(new long[] { 2, 16, 1 })]
    public void Run_WrongInputShape_ThrowsInvalidInput(long[] shape)
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var x = Tensor.Allocate(TensorDataType.Float, shape);
        using var y = Tensor.Allocate(TensorDataType.Float, [2, 8]);

        var e = Assert.Throws<InvalidInputException>(() => session.Run([x], [y]));

        Assert.Contains("input 'x' expects shape [batch,16]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongTensorCount_ThrowsListingNames()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var y = Tensor.Allocate(TensorDataType.Float, [2, 8]);

        var e = Assert.Throws<InvalidInputException>(() => session.Run([], [y]));

        Assert.Contains("takes 1 input(s) (x)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OutputBufferOfWrongShape_ThrowsInferenceExceptionNamingModel()
    {
        using var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        using var x = Tensor.Allocate(TensorDataType.Float, [2, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [3, 8]);

        var e = Assert.Throws<InferenceException>(() => session.Run([x], [y]));

        Assert.Equal("mlp", e.ModelName);
        Assert.StartsWith("model 'mlp'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NodeFailsAtRunTime_ThrowsInferenceExceptionNamingNode()
    {
        using var session = new CpuBackend().CreateSession(TestModels.ReshapeBy3(), OneThread);
        using var x = Tensor.Allocate(TensorDataType.Float, [4]);
        using var y = Tensor.Allocate(TensorDataType.Float, [1, 3]);

        var e = Assert.Throws<InferenceException>(() => session.Run([x], [y]));

        Assert.Equal("Reshape_0", e.NodeName);
        Assert.Equal("Reshape", e.OpType);
        Assert.Contains("node 'Reshape_0' (Reshape)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData(new byte[] { 0x08 })]
    public void CreateSession_BadModelBytes_ThrowsOneLineModelLoadException(byte[] bytes)
    {
        var e = Assert.Throws<ModelLoadException>(() => new CpuBackend().CreateSession(bytes, OneThread with { ModelName = "junk" }));

        Assert.StartsWith("cannot load model 'junk': ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CreateSession_MissingFile_ThrowsModelLoadExceptionNamingPath()
    {
        var e = Assert.Throws<ModelLoadException>(() => new CpuBackend().CreateSession("/nonexistent/m.onnx", OneThread));

        Assert.Equal("cannot load model 'm': file '/nonexistent/m.onnx' does not exist", e.Message);
    }

    [Fact]
    public void CreateSession_FromFile_RunsLikeFromModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"silica-mlp-{Guid.NewGuid():N}.onnx");
        TestModels.Mlp().Save(path);
        try
        {
            using var a = new CpuBackend().CreateSession(path, OneThread);
            using var b = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
            using var x = Tensor.FromArray(TestModels.Values(16, 3), [1, 16]);
            using var ya = Tensor.Allocate(TensorDataType.Float, [1, 8]);
            using var yb = Tensor.Allocate(TensorDataType.Float, [1, 8]);
            a.Run([x], [ya]);
            b.Run([x], [yb]);
            Assert.Equal(yb.AsFloats().ToArray(), ya.AsFloats().ToArray());
            Assert.Equal(Path.GetFileNameWithoutExtension(path), a.ModelName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var session = new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);
        session.Dispose();
        using var x = Tensor.Allocate(TensorDataType.Float, [1, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [1, 8]);

        Assert.Throws<ObjectDisposedException>(() => session.Run([x], [y]));
    }

    [Fact]
    public void CreateSession_OpsetBeyondOnnxRuntime_ThrowsWithoutSourceLocation()
    {
        var model = new OnnxModel(TestModels.Mlp().Graph, 30);

        var e = Assert.Throws<ModelLoadException>(() => new CpuBackend().CreateSession(model, OneThread));

        Assert.StartsWith("cannot load model 'mlp': ONNX Runtime only *guarantees* support", e.Message, StringComparison.Ordinal);
        Assert.Contains("Opset 30", e.Message, StringComparison.Ordinal);
    }
}
