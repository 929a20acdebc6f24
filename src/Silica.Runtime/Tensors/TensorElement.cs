using System.Buffers;
using System.Runtime.InteropServices;
using Silica.Onnx.Model;

namespace Silica.Runtime.Tensors;

/// <summary>Maps .NET element types to ONNX element types.</summary>
public static class TensorElement
{
    /// <summary>The ONNX element type stored by <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no ONNX counterpart.</exception>
    public static TensorDataType TypeOf<T>()
        where T : unmanaged => typeof(T) switch
        {
            var t when t == typeof(float) => TensorDataType.Float,
            var t when t == typeof(double) => TensorDataType.Double,
            var t when t == typeof(Half) => TensorDataType.Float16,
            var t when t == typeof(long) => TensorDataType.Int64,
            var t when t == typeof(int) => TensorDataType.Int32,
            var t when t == typeof(short) => TensorDataType.Int16,
            var t when t == typeof(sbyte) => TensorDataType.Int8,
            var t when t == typeof(ulong) => TensorDataType.UInt64,
            var t when t == typeof(uint) => TensorDataType.UInt32,
            var t when t == typeof(ushort) => TensorDataType.UInt16,
            var t when t == typeof(byte) => TensorDataType.UInt8,
            var t when t == typeof(bool) => TensorDataType.Bool,
            _ => throw new NotSupportedException($"{typeof(T).Name} is not an ONNX element type"),
        };
}

/// <summary>Views a typed array as bytes without copying, so <see cref="Tensor.FromArray{T}"/> shares the caller's array.</summary>
internal sealed class ArrayByteMemory<T>(T[] array) : MemoryManager<byte>
    where T : unmanaged
{
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(array.AsSpan());

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        var h = GCHandle.Alloc(array, GCHandleType.Pinned);
        return new MemoryHandle((byte*)h.AddrOfPinnedObject() + elementIndex, h);
    }

    public override void Unpin()
    {
    }

    // The pin handle from Pin() is freed by MemoryHandle.Dispose; nothing else is owned.
    protected override void Dispose(bool disposing)
    {
    }
}
