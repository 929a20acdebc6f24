using System.Runtime.InteropServices;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Interop;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Engine.Ops;

/// <summary>
/// A (batched) GEMM on cuBLASLt. cuBLASLt is column-major, so row-major Y = A·B is computed as Yᵀ = Bᵀ·Aᵀ: the plan's B
/// is cuBLASLt's first operand and A its second, and a row-major [r, c] matrix is a column-major [c, r] one with ld = c.
/// Bias rides the BIAS epilogue (a vector along the rows of column-major D, i.e. along N); ReLU fuses too. Exact-erf GELU
/// and Clip run as a separate in-place kernel, because cuBLASLt's GELU is the tanh approximation.
/// </summary>
internal sealed unsafe class GemmOp : IDeviceOp
{
    private readonly CublasLt _lt;
    private readonly CublasLt.MatmulDesc _desc;
    private readonly CublasLt.MatrixLayout _a;
    private readonly CublasLt.MatrixLayout _b;
    private readonly CublasLt.MatrixLayout _c;
    private readonly CublasLt.MatrixLayout _d;
    private readonly CublasLt.MatmulAlgo _algo;
    private readonly ulong _pa;
    private readonly ulong _pb;
    private readonly ulong _pc;
    private readonly ulong _pd;
    private readonly ulong _workspace;
    private readonly ulong _workspaceBytes;
    private readonly float* _scalars;

    public GemmOp(CublasLt lt, GemmStep step, ExecutionPlan plan, Func<int, ulong> pointer, ulong workspace, ulong workspaceBytes, bool tf32,
        ulong fp8ScaleA = 0, ulong fp8ScaleB = 0, ulong fp8A = 0, ulong fp8B = 0, bool fuseGelu = true)
    {
        _lt = lt;
        Name = step.Name;
        var y = plan[step.Y];
        var type = y.Type;
        var fp8 = fp8A != 0;
        var dataType = DataTypeOf(type);
        var inType = fp8 ? CublasLt.DataType.R_8F_E4M3 : dataType;
        var compute = type == TensorDataType.Float && tf32 ? CublasLt.ComputeType.CUBLAS_COMPUTE_32F_FAST_TF32 : CublasLt.ComputeType.CUBLAS_COMPUTE_32F;
        _desc = CublasLt.MatmulDesc.Create(compute, CublasLt.DataType.R_32F);

        // cuBLASLt operand 1 = plan B, operand 2 = plan A (see the class comment). FP8 needs the "TN" form; the
        // executor stores FP8 weights as [N, K] so operand 1 is transposed and operand 2 is not.
        var transB = fp8 || step.TransB;
        var transA = !fp8 && step.TransA;
        _desc.SetAttribute(CublasLt.MatmulDescAttribute.TRANSA, transB ? CublasLt.Operation.T : CublasLt.Operation.N);
        _desc.SetAttribute(CublasLt.MatmulDescAttribute.TRANSB, transA ? CublasLt.Operation.T : CublasLt.Operation.N);
        var gelu = fuseGelu && FusesActivation(step, type);
        FusedGelu = gelu && step.Activation == Activation.GeluErf;
        var epilogue = (step.Bias >= 0, step.Activation) switch
        {
            (true, Activation.Relu) => CublasLt.Epilogue.RELU_BIAS,
            (true, Activation.GeluErf) when gelu => CublasLt.Epilogue.GELU_BIAS,
            (true, _) => CublasLt.Epilogue.BIAS,
            (false, Activation.Relu) => CublasLt.Epilogue.RELU,
            (false, Activation.GeluErf) when gelu => CublasLt.Epilogue.GELU,
            _ => CublasLt.Epilogue.DEFAULT,
        };
        _desc.SetAttribute(CublasLt.MatmulDescAttribute.EPILOGUE, epilogue);
        if (step.Bias >= 0)
        {
            _desc.SetAttribute(CublasLt.MatmulDescAttribute.BIAS_POINTER, pointer(step.Bias));
            _desc.SetAttribute(CublasLt.MatmulDescAttribute.BIAS_DATA_TYPE, DataTypeOf(plan[step.Bias].Type));
        }
        if (fp8)
        {
            _desc.SetAttribute(CublasLt.MatmulDescAttribute.A_SCALE_POINTER, fp8ScaleB);
            _desc.SetAttribute(CublasLt.MatmulDescAttribute.B_SCALE_POINTER, fp8ScaleA);
            // Hopper's FP8 tensor cores accumulate in reduced precision unless promoted; fast accumulation is the
            // inference setting (Transformer Engine uses it for forward passes).
            _desc.SetAttribute(CublasLt.MatmulDescAttribute.FAST_ACCUM, 1);
        }

        ulong m = (ulong)step.M, n = (ulong)step.N, k = (ulong)step.K;
        _a = transB ? CublasLt.MatrixLayout.Create(inType, k, n, (long)k) : CublasLt.MatrixLayout.Create(inType, n, k, (long)n);
        _b = transA ? CublasLt.MatrixLayout.Create(inType, m, k, (long)m) : CublasLt.MatrixLayout.Create(inType, k, m, (long)k);
        _c = CublasLt.MatrixLayout.Create(dataType, n, m, (long)n);
        _d = CublasLt.MatrixLayout.Create(dataType, n, m, (long)n);
        if (step.BatchCount > 1)
        {
            var count = checked((int)step.BatchCount);
            _a.SetBatch(count, step.StrideB);
            _b.SetBatch(count, step.StrideA);
            _c.SetBatch(count, step.StrideY);
            _d.SetBatch(count, step.StrideY);
        }

        _pa = fp8 ? fp8B : pointer(step.B);
        _pb = fp8 ? fp8A : pointer(step.A);
        _pd = pointer(step.Y);
        _pc = step.Residual >= 0 ? pointer(step.Residual) : _pd;
        _workspace = workspace;
        _workspaceBytes = workspaceBytes;
        _scalars = (float*)NativeMemory.AllocZeroed(2 * sizeof(float));
        _scalars[0] = step.Alpha;
        _scalars[1] = step.Residual >= 0 ? step.Beta : 0f;

        using var preference = CublasLt.MatmulPreference.Create();
        preference.SetMaxWorkspace(workspaceBytes);
        if (!lt.TryGetHeuristic(_desc, _a, _b, _c, _d, preference, out _algo, out var needed) || needed > workspaceBytes)
        {
            throw new NotSupportedException(
                $"cuBLASLt has no algorithm for GEMM '{step.Name}' ({type.DisplayName()}, M={m} N={n} K={k}, batch {step.BatchCount}{(fp8 ? ", fp8" : "")})");
        }
        Kind = fp8 ? "cublasLt-fp8" : "cublasLt";
    }

    public string Name { get; }

    public string Kind { get; }

    /// <summary>Whether GELU runs in cuBLASLt's epilogue (else the caller must apply it).</summary>
    public bool FusedGelu { get; }

    public void Enqueue(CudaStream stream) =>
        _lt.Matmul(_desc, &_scalars[0], _pa, _a, _pb, _b, &_scalars[1], _pc, _c, _pd, _d, in _algo, _workspace, _workspaceBytes, stream);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _d.Dispose();
        _desc.Dispose();
        NativeMemory.Free(_scalars);
    }

    /// <summary>
    /// Whether cuBLASLt's own epilogue applies the step's activation. ReLU always; GELU only for half-precision outputs:
    /// cuBLASLt's GELU is the tanh form, which differs from the exact erf form by under 2·10⁻⁴ in absolute terms,
    /// below the half types' resolution at the values where the two differ, but visible in FP32, where an exact
    /// kernel runs after the GEMM instead.
    /// </summary>
    public static bool FusesActivation(GemmStep step, TensorDataType outputType) => step.Activation switch
    {
        Activation.None or Activation.Relu => true,
        Activation.GeluErf => outputType is TensorDataType.Float16 or TensorDataType.BFloat16,
        _ => false,
    };

    public static CublasLt.DataType DataTypeOf(TensorDataType t) => t switch
    {
        TensorDataType.Float => CublasLt.DataType.R_32F,
        TensorDataType.Float16 => CublasLt.DataType.R_16F,
        TensorDataType.BFloat16 => CublasLt.DataType.R_16BF,
        TensorDataType.Float8E4M3FN => CublasLt.DataType.R_8F_E4M3,
        _ => throw new NotSupportedException($"GEMM on {t.DisplayName()} tensors"),
    };
}
