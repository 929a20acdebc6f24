using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Silica.Runtime.Tensors;

/// <summary>
/// Where a tensor's bytes live and who frees them. Every kind hands out a stable address for native
/// code: pinned and native buffers never move; caller and pooled memory are pinned on first request.
/// </summary>
internal abstract class TensorBuffer : IDisposable
{
    public abstract Memory<byte> Memory { get; }

    /// <summary>Address of the first byte; stable until <see cref="Dispose"/>.</summary>
    public abstract nint Pointer { get; }

    public abstract void Dispose();
}

/// <summary>A pinned managed array (POH): no pin handle needed, the GC never moves it.</summary>
internal sealed class PinnedArrayBuffer(int length) : TensorBuffer
{
    private readonly byte[] _array = GC.AllocateArray<byte>(length, pinned: true);

    public override Memory<byte> Memory => _array;

    public override unsafe nint Pointer => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));

    public override void Dispose()
    {
    }
}

/// <summary>Memory the caller owns; pinned lazily (once) and unpinned on dispose.</summary>
internal class PinnedMemoryBuffer(Memory<byte> memory) : TensorBuffer
{
    private MemoryHandle _pin;
    private bool _pinned;

    public override Memory<byte> Memory => memory;

    public override unsafe nint Pointer
    {
        get
        {
            if (!_pinned)
            {
                _pin = memory.Pin();
                _pinned = true;
            }
            return (nint)_pin.Pointer;
        }
    }

    public override void Dispose()
    {
        if (_pinned)
        {
            _pin.Dispose();
            _pinned = false;
        }
    }
}

/// <summary>An array rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose.</summary>
internal sealed class PooledArrayBuffer : PinnedMemoryBuffer
{
    private byte[]? _array;

    private PooledArrayBuffer(byte[] array, int length)
        : base(array.AsMemory(0, length)) => _array = array;

    public static PooledArrayBuffer Rent(int length) => new(ArrayPool<byte>.Shared.Rent(length), length);

    public override void Dispose()
    {
        base.Dispose();
        if (Interlocked.Exchange(ref _array, null) is { } a)
        {
            ArrayPool<byte>.Shared.Return(a);
        }
    }
}

/// <summary>Aligned native memory owned through a <see cref="SafeHandle"/>.</summary>
internal sealed class NativeBuffer : TensorBuffer
{
    private readonly NativeMemoryHandle _handle;
    private readonly NativeMemoryManager _manager;

    public NativeBuffer(int length)
    {
        _handle = NativeMemoryHandle.Allocate(length);
        _manager = new NativeMemoryManager(_handle, length);
    }

    public override Memory<byte> Memory => _manager.Memory;

    public override nint Pointer => _handle.DangerousGetHandle();

    public override void Dispose() => _handle.Dispose();

    private sealed unsafe class NativeMemoryManager(NativeMemoryHandle handle, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan()
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return new Span<byte>((void*)handle.DangerousGetHandle(), length);
        }

        // Native memory never moves, so pinning is a no-op.
        public override MemoryHandle Pin(int elementIndex = 0) =>
            new((byte*)handle.DangerousGetHandle() + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}

/// <summary>Owns a block from <see cref="NativeMemory.AlignedAlloc"/> (64-byte aligned for SIMD kernels).</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    private NativeMemoryHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    public static NativeMemoryHandle Allocate(int length)
    {
        var h = new NativeMemoryHandle();
        var p = NativeMemory.AlignedAlloc((nuint)Math.Max(1, length), 64);
        NativeMemory.Clear(p, (nuint)length);
        h.SetHandle((nint)p);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        return true;
    }
}
