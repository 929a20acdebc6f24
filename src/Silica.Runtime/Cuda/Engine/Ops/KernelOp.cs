using System.Runtime.InteropServices;
using Silica.Runtime.Cuda.Interop;
using Silica.Runtime.Cuda.Kernels;

namespace Silica.Runtime.Cuda.Engine.Ops;

/// <summary>
/// A launch of an NVRTC-compiled kernel. The argument values and the pointer array cuLaunchKernel reads are packed
/// once into native memory at load, so a launch is a single driver call.
/// </summary>
internal sealed unsafe class KernelOp : IDeviceOp
{
    private readonly CudaFunction _function;
    private readonly Dim3 _grid;
    private readonly Dim3 _block;
    private readonly int _shared;
    private readonly byte* _values;
    private readonly void** _argv;
    private readonly (ulong Pointer, long Bytes)[] _zeroFirst;

    public KernelOp(string name, CudaFunction function, KernelLaunch launch, Func<KernelArg, ulong> pointer)
    {
        Name = name;
        Kind = launch.Entry;
        _function = function;
        _grid = launch.Grid;
        _block = launch.Block;
        _shared = launch.SharedBytes;
        var n = launch.Args.Count;
        _values = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(1, n * 8));
        _argv = (void**)NativeMemory.AllocZeroed((nuint)Math.Max(1, n * sizeof(void*)));
        var zero = new List<(ulong, long)>();
        for (var i = 0; i < n; i++)
        {
            var slot = _values + (i * 8);
            switch (launch.Args[i])
            {
                case BufferArg:
                    *(ulong*)slot = pointer(launch.Args[i]);
                    break;
                case ScratchArg s:
                    var p = pointer(s);
                    *(ulong*)slot = p;
                    if (s.Zeroed)
                    {
                        zero.Add((p, s.Bytes));
                    }
                    break;
                case Int32Arg v:
                    *(int*)slot = v.Value;
                    break;
                case Int64Arg v:
                    *(long*)slot = v.Value;
                    break;
                case Float32Arg v:
                    *(float*)slot = v.Value;
                    break;
                default:
                    throw new InvalidOperationException($"kernel '{launch.Entry}': unknown argument kind {launch.Args[i].GetType().Name}");
            }
            _argv[i] = slot;
        }
        _zeroFirst = [.. zero];
        if (_shared > 48 * 1024)
        {
            function.SetMaxDynamicSharedMemory(_shared);
        }
        if (_grid.X == 0 || _grid.Y == 0 || _grid.Z == 0)
        {
            throw new InvalidOperationException($"kernel '{launch.Entry}' for '{name}' has an empty grid");
        }
    }

    public string Name { get; }

    public string Kind { get; }

    public void Enqueue(CudaStream stream)
    {
        foreach (var (p, bytes) in _zeroFirst)
        {
            CudaMemory.MemsetAsync(p, 0, bytes, stream);
        }
        CudaLaunch.Launch(_function, _grid.X, _grid.Y, _grid.Z, _block.X, _block.Y, _block.Z, _shared, stream, _argv);
    }

    public void Dispose()
    {
        NativeMemory.Free(_values);
        NativeMemory.Free(_argv);
    }
}
