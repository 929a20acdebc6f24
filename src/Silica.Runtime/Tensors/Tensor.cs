using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Silica.Onnx.Model;

namespace Silica.Runtime.Tensors;

/// <summary>
/// A dense tensor: an element type, a shape and the bytes, laid out row-major. The bytes are pinned or
/// native memory (or caller memory pinned for the tensor's life), so backends can hand their address to
/// native code without copying. A tensor is meant to be reused across runs: <see cref="Reshape"/> changes
/// the shape within the capacity it was created with, without allocating when the rank stays the same.
/// </summary>
/// <remarks>Tensors are limited to <see cref="Array.MaxLength"/> bytes. Strings are not dense and not supported.</remarks>
public sealed class Tensor : IDisposable
{
    private readonly TensorBuffer _buffer;
    private long[] _shape;
    private int _byteLength;
    private bool _disposed;

    private Tensor(TensorDataType elementType, ReadOnlySpan<long> shape, TensorBuffer buffer)
    {
        ElementType = elementType;
        _buffer = buffer;
        _shape = shape.ToArray();
        _byteLength = checked((int)elementType.ByteCount(ElementCountOf(shape)));
    }

    /// <summary>The element type.</summary>
    public TensorDataType ElementType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => ElementCountOf(_shape);

    /// <summary>Bytes the current shape occupies.</summary>
    public int ByteLength => _byteLength;

    /// <summary>Bytes available to <see cref="Reshape"/> into.</summary>
    public int Capacity => _buffer.Memory.Length;

    /// <summary>The bytes of the current shape.</summary>
    public Memory<byte> Memory => _buffer.Memory[.._byteLength];

    /// <summary>The bytes of the current shape.</summary>
    public Span<byte> Bytes => Memory.Span;

    /// <summary>Allocates a zeroed tensor in pinned managed memory (the usual choice for run buffers).</summary>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="capacityBytes">Bytes to reserve for later, larger shapes; at least the shape's size.</param>
    public static Tensor Allocate(TensorDataType elementType, ReadOnlySpan<long> shape, int capacityBytes = 0) =>
        new(elementType, shape, new PinnedArrayBuffer(CapacityFor(elementType, shape, capacityBytes)));

    /// <summary>Allocates a zeroed tensor in 64-byte-aligned native memory, freed by <see cref="Dispose"/>.</summary>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="capacityBytes">Bytes to reserve for later, larger shapes; at least the shape's size.</param>
    public static Tensor AllocateNative(TensorDataType elementType, ReadOnlySpan<long> shape, int capacityBytes = 0) =>
        new(elementType, shape, new NativeBuffer(CapacityFor(elementType, shape, capacityBytes)));

    /// <summary>
    /// A tensor over a buffer rented from the shared array pool (contents undefined); <see cref="Dispose"/>
    /// returns it. For short-lived results such as a batcher's per-request outputs.
    /// </summary>
    public static Tensor Rent(TensorDataType elementType, ReadOnlySpan<long> shape) =>
        new(elementType, shape, PooledArrayBuffer.Rent(CapacityFor(elementType, shape, 0)));

    /// <summary>
    /// Wraps memory the caller owns; the tensor pins it while it lives (dispose the tensor to unpin).
    /// The caller must keep the memory valid until then.
    /// </summary>
    /// <exception cref="ArgumentException">The memory is smaller than the shape needs.</exception>
    public static Tensor FromMemory(TensorDataType elementType, Memory<byte> memory, ReadOnlySpan<long> shape)
    {
        var needed = CapacityFor(elementType, shape, 0);
        if (memory.Length < needed)
        {
            throw new ArgumentException($"{elementType.DisplayName()}{Format(shape)} needs {needed} bytes; the memory holds {memory.Length}", nameof(memory));
        }
        return new Tensor(elementType, shape, new PinnedMemoryBuffer(memory));
    }

    /// <summary>Wraps a caller array of a primitive element type (float, long, int, Half, byte, bool...).</summary>
    /// <exception cref="ArgumentException">The array length differs from the shape's element count.</exception>
    public static Tensor FromArray<T>(T[] data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var type = TensorElement.TypeOf<T>();
        if (data.Length != ElementCountOf(shape))
        {
            throw new ArgumentException($"{data.Length} elements do not fill shape {Format(shape)}", nameof(data));
        }
        return new Tensor(type, shape, new PinnedMemoryBuffer(new ArrayByteMemory<T>(data).Memory));
    }

    /// <summary>The elements as <see cref="float"/>.</summary>
    /// <exception cref="InvalidOperationException">The element type is not <see cref="TensorDataType.Float"/>.</exception>
    public Span<float> AsFloats() => ElementType == TensorDataType.Float ? MemoryMarshal.Cast<byte, float>(Bytes) : throw WrongType("float");

    /// <summary>The elements as <see cref="long"/>.</summary>
    /// <exception cref="InvalidOperationException">The element type is not <see cref="TensorDataType.Int64"/>.</exception>
    public Span<long> AsInt64s() => ElementType == TensorDataType.Int64 ? MemoryMarshal.Cast<byte, long>(Bytes) : throw WrongType("int64");

    /// <summary>The elements as any type of the same size (e.g. <see cref="Half"/> or <see cref="ushort"/> for FP16).</summary>
    /// <exception cref="InvalidOperationException">The element size differs from <typeparamref name="T"/>'s.</exception>
    public unsafe Span<T> AsSpan<T>()
        where T : unmanaged =>
        ElementType.BitsPerElement() == sizeof(T) * 8 ? MemoryMarshal.Cast<byte, T>(Bytes) : throw WrongType(typeof(T).Name);

    /// <summary>Changes the shape in place; the new shape must fit the capacity. Allocates only when the rank changes.</summary>
    /// <exception cref="ArgumentException">The shape needs more bytes than <see cref="Capacity"/>.</exception>
    public void Reshape(params ReadOnlySpan<long> shape)
    {
        var count = ElementCountOf(shape);
        var bytes = count > Array.MaxLength ? long.MaxValue : ElementType.ByteCount(count);
        if (bytes > Capacity)
        {
            throw new ArgumentException($"shape {Format(shape)} needs {bytes} bytes; the tensor holds {Capacity}", nameof(shape));
        }
        if (shape.Length != _shape.Length)
        {
            _shape = new long[shape.Length];
        }
        shape.CopyTo(_shape);
        _byteLength = (int)bytes;
    }

    /// <summary>Address of the first byte, stable until the tensor is disposed.</summary>
    internal nint DataPointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer.Pointer;
        }
    }

    /// <summary>Type and shape as <c>float[2,16]</c>.</summary>
    public override string ToString() => ElementType.DisplayName() + Format(_shape);

    /// <summary>Frees native memory, returns pooled memory, unpins caller memory.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _buffer.Dispose();
        }
    }

    internal static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    private static long ElementCountOf(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape {Format(shape)} has a negative dimension", nameof(shape));
            }
            n = n == 0 ? 0 : d > long.MaxValue / n ? throw TooLarge(shape) : n * d;
        }
        return n;
    }

    private static ArgumentOutOfRangeException TooLarge(ReadOnlySpan<long> shape) =>
        new(nameof(shape), $"shape {Format(shape)} has more elements than fit in 64 bits");

    private static int CapacityFor(TensorDataType type, ReadOnlySpan<long> shape, int capacityBytes)
    {
        if (type.BitsPerElement() == 0)
        {
            throw new NotSupportedException($"element type {type.DisplayName()} is not a dense type");
        }
        var count = ElementCountOf(shape);
        var bytes = count > Array.MaxLength ? long.MaxValue : type.ByteCount(count);
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"{type.DisplayName()}{Format(shape)} needs {bytes} bytes, over the {Array.MaxLength}-byte tensor limit");
        }
        return Math.Max((int)bytes, capacityBytes);
    }

    [DoesNotReturn]
    private InvalidOperationException WrongType(string wanted) =>
        throw new InvalidOperationException($"tensor is {ElementType.DisplayName()}, not {wanted}");
}
