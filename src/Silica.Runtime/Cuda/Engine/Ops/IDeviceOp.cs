using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Cuda.Engine.Ops;

/// <summary>One step of a compiled plan: everything resolved at load, so enqueueing allocates nothing.</summary>
internal interface IDeviceOp : IDisposable
{
    /// <summary>The plan step's name (ONNX node names), for profiles and errors.</summary>
    string Name { get; }

    /// <summary>What runs it: a kernel entry, "cublasLt", "cudnn", "memcpy".</summary>
    string Kind { get; }

    void Enqueue(CudaStream stream);
}
