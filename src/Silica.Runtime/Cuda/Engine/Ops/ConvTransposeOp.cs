using System.Runtime.InteropServices;
using Silica.Runtime.Cuda.Interop;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Engine.Ops;

/// <summary>
/// A transposed convolution as cuDNN's backward-data of the matching forward convolution: the plan's X is that
/// convolution's output gradient and its Y the input gradient. ONNX's [C_in, C_out/group, kH, kW] weight is exactly the
/// forward filter [K, C/group, kH, kW]. Bias is added by the engine's epilogue kernel that follows.
/// </summary>
internal sealed unsafe class ConvTransposeOp : IDeviceOp
{
    private readonly CuDnn _dnn;
    private readonly CuDnn.TensorDescriptor _dy;
    private readonly CuDnn.FilterDescriptor _w;
    private readonly CuDnn.ConvolutionDescriptor _conv;
    private readonly CuDnn.TensorDescriptor _dx;
    private readonly CuDnn.ConvBwdDataAlgo _algo;
    private readonly ulong _px, _pw, _py, _workspace, _workspaceBytes;
    private readonly float* _scalars;

    public ConvTransposeOp(CuDnn dnn, ConvTransposeStep step, ExecutionPlan plan, Func<int, ulong> pointer, ulong workspace, long workspaceBytes, bool tf32)
    {
        _dnn = dnn;
        Name = step.Name;
        var y = plan[step.Y];
        var type = ConvOp.DataTypeOf(y.Type);
        var pads = step.Pads;
        if (pads[0] != pads[2] || pads[1] != pads[3])
        {
            throw new NotSupportedException($"transposed convolution '{step.Name}' has asymmetric padding [{string.Join(',', pads)}], which cuDNN cannot express");
        }
        var xs = ConvOp.As4D(plan[step.X].Shape);
        var ws = ConvOp.As4D(plan[step.W].Shape);
        var ys = ConvOp.As4D(y.Shape);
        _dy = CuDnn.TensorDescriptor.Create(type, CuDnn.TensorFormat.NCHW, xs[0], xs[1], xs[2], xs[3]);
        _w = CuDnn.FilterDescriptor.Create(type, CuDnn.TensorFormat.NCHW, ws[0], ws[1], ws[2], ws[3]);
        _dx = CuDnn.TensorDescriptor.Create(type, CuDnn.TensorFormat.NCHW, ys[0], ys[1], ys[2], ys[3]);
        var math = y.Type != Onnx.Model.TensorDataType.Float ? CuDnn.MathType.TensorOp : tf32 ? CuDnn.MathType.Default : CuDnn.MathType.Fma;
        _conv = CuDnn.ConvolutionDescriptor.Create(pads[0], pads[1], step.Strides[0], step.Strides[1], step.Dilations[0], step.Dilations[1],
            step.Group, CuDnn.DataType.Float, math);
        _px = pointer(step.X);
        _pw = pointer(step.W);
        _py = pointer(step.Y);
        _workspace = workspace;
        _workspaceBytes = (ulong)workspaceBytes;
        _scalars = (float*)NativeMemory.AllocZeroed(2 * sizeof(float));
        _scalars[0] = 1f;
        var (algo, needed) = dnn.FindBackwardDataAlgorithm(_w, _pw, _dy, _px, _conv, _dx, _py, workspace, (ulong)workspaceBytes);
        if (needed > (ulong)workspaceBytes)
        {
            throw new NotSupportedException($"transposed convolution '{step.Name}' needs {needed} bytes of cuDNN workspace");
        }
        _algo = algo;
    }

    public string Name { get; }

    public string Kind => "cudnn-bwd-data";

    public void Enqueue(CudaStream stream) =>
        _dnn.ConvolutionBackwardData(&_scalars[0], _w, _pw, _dy, _px, _conv, _algo, _workspace, _workspaceBytes, &_scalars[1], _dx, _py);

    public void Dispose()
    {
        _dy.Dispose();
        _w.Dispose();
        _dx.Dispose();
        _conv.Dispose();
        NativeMemory.Free(_scalars);
    }
}
