using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Kernels;

/// <summary>Builds small execution plans for emitter tests: add buffers, then wrap one or more steps.</summary>
internal sealed class TestPlan
{
    private readonly List<PlanBuffer> _buffers = [];
    private readonly List<Step> _steps = [];

    public int Add(TensorDataType type, params long[] shape)
    {
        var id = _buffers.Count;
        _buffers.Add(new PlanBuffer { Id = id, Name = $"b{id}", Type = type, Shape = shape, Kind = BufferKind.Arena });
        return id;
    }

    public TestPlan With(Step step)
    {
        _steps.Add(step);
        return this;
    }

    public ExecutionPlan Build() => new()
    {
        Buffers = _buffers,
        Steps = _steps,
        ArenaBytes = 0,
        Inputs = [],
        Outputs = [],
    };
}
