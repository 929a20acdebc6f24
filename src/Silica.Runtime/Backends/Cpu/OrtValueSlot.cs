using Microsoft.ML.OnnxRuntime;
using Silica.Runtime.Tensors;
using Tensor = Silica.Runtime.Tensors.Tensor;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Silica.Runtime.Backends.Cpu;

/// <summary>
/// The ORT values created for one input or output position. An <see cref="OrtValue"/> here only
/// describes memory (address, type, shape) and never owns it, so values are cached by exactly that
/// key: a caller alternating between a few buffers or batch sizes creates each value once.
/// </summary>
internal sealed class OrtValueSlot : IDisposable
{
    // Enough for double-buffering across a handful of batch sizes; beyond that the oldest is replaced.
    private const int MaxEntries = 8;

    private readonly Entry[] _entries = new Entry[MaxEntries];
    private int _count;
    private int _next;

    /// <summary>The entry most recently returned (what the IO binding holds now).</summary>
    public OrtValue? Current { get; private set; }

    /// <summary>Returns the ORT value over <paramref name="tensor"/>'s memory; <paramref name="changed"/> says it differs from <see cref="Current"/>.</summary>
    public OrtValue Get(Tensor tensor, out bool changed)
    {
        var pointer = tensor.DataPointer;
        var shape = tensor.Shape;
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref _entries[i];
            if (e.Pointer == pointer && e.Type == tensor.ElementType && shape.SequenceEqual(e.Shape))
            {
                changed = !ReferenceEquals(e.Value, Current);
                Current = e.Value;
                return e.Value;
            }
        }
        changed = true;
        Current = Add(tensor, pointer);
        return Current;
    }

    /// <summary>Makes the next <see cref="Get"/> report a change, so the caller binds again.</summary>
    public void Forget() => Current = null;

    private OrtValue Add(Tensor tensor, nint pointer)
    {
        var shape = tensor.Shape.ToArray();
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (TensorElementType)(int)tensor.ElementType,
            shape, pointer, tensor.ByteLength);
        int index;
        if (_count < MaxEntries)
        {
            index = _count++;
        }
        else
        {
            index = _next;
            _next = (_next + 1) % MaxEntries;
            _entries[index].Value.Dispose();
        }
        _entries[index] = new Entry(pointer, tensor.ElementType, shape, value);
        return value;
    }

    public void Dispose()
    {
        for (var i = 0; i < _count; i++)
        {
            _entries[i].Value.Dispose();
        }
        _count = 0;
        Current = null;
    }

    private readonly record struct Entry(nint Pointer, Silica.Onnx.Model.TensorDataType Type, long[] Shape, OrtValue Value);
}
