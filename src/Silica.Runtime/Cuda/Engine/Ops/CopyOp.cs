using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Cuda.Engine.Ops;

/// <summary>A device-to-device copy (a graph output that aliases another buffer).</summary>
internal sealed class CopyOp(string name, ulong destination, ulong source, long bytes) : IDeviceOp
{
    public string Name { get; } = name;

    public string Kind => "memcpy";

    public void Enqueue(CudaStream stream) => CudaMemory.CopyDeviceToDeviceAsync(destination, source, bytes, stream);

    public void Dispose()
    {
    }
}
