using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

internal sealed unsafe partial class CublasLt
{
    /// <summary>cublasLtMatmulDesc_t: compute and scale types, transposes, epilogue, bias and scale pointers.</summary>
    internal sealed class MatmulDesc : SafeHandle
    {
        private MatmulDesc(IntPtr h)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

        public IntPtr Raw => handle;

        public override bool IsInvalid => handle == IntPtr.Zero;

        public static MatmulDesc Create(ComputeType compute, DataType scale)
        {
            IntPtr h;
            CudaStatus.Check(Library, "cublasLtMatmulDescCreate", Api.MatmulDescCreate(&h, (int)compute, (int)scale));
            return new MatmulDesc(h);
        }

        /// <summary>For the int32/uint32 attributes; FAST_ACCUM is an int8_t in the header and is sent as one byte.</summary>
        public void SetAttribute(MatmulDescAttribute attr, int value)
        {
            if (attr == MatmulDescAttribute.FAST_ACCUM)
            {
                var b = (sbyte)value;
                Set(attr, &b, 1);
                return;
            }
            Set(attr, &value, 4);
        }

        /// <summary>For the int64_t attributes (strides, leading dimensions).</summary>
        public void SetAttribute(MatmulDescAttribute attr, long value) => Set(attr, &value, 8);

        /// <summary>For the pointer attributes (bias, scales, amax): a device address.</summary>
        public void SetAttribute(MatmulDescAttribute attr, ulong value) => Set(attr, &value, 8);

        public void SetAttribute(MatmulDescAttribute attr, Operation value) => SetAttribute(attr, (int)value);

        public void SetAttribute(MatmulDescAttribute attr, Epilogue value) => SetAttribute(attr, (int)value);

        public void SetAttribute(MatmulDescAttribute attr, DataType value) => SetAttribute(attr, (int)value);

        private void Set(MatmulDescAttribute attr, void* value, int bytes)
        {
            var code = Api.MatmulDescSetAttribute(handle, (int)attr, value, (nuint)bytes);
            if (code != 0)
            {
                CudaStatus.Throw(Library, $"cublasLtMatmulDescSetAttribute({attr})", code);
            }
        }

        protected override bool ReleaseHandle()
        {
            if (_functions is { } api)
            {
                _ = api.MatmulDescDestroy(handle);
            }
            return true;
        }
    }

    /// <summary>cublasLtMatrixLayout_t: element type, rows, columns, leading dimension, batch.</summary>
    internal sealed class MatrixLayout : SafeHandle
    {
        private MatrixLayout(IntPtr h)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

        public IntPtr Raw => handle;

        public override bool IsInvalid => handle == IntPtr.Zero;

        public static MatrixLayout Create(DataType type, ulong rows, ulong cols, long ld)
        {
            IntPtr h;
            CudaStatus.Check(Library, "cublasLtMatrixLayoutCreate", Api.MatrixLayoutCreate(&h, (int)type, rows, cols, ld));
            return new MatrixLayout(h);
        }

        /// <summary>A strided batch: <paramref name="count"/> matrices, <paramref name="strideElements"/> elements apart.</summary>
        public void SetBatch(int count, long strideElements)
        {
            Set(MatrixLayoutAttribute.BATCH_COUNT, &count, 4);
            Set(MatrixLayoutAttribute.STRIDED_BATCH_OFFSET, &strideElements, 8);
        }

        public void SetOrder(Order order)
        {
            var value = (int)order;
            Set(MatrixLayoutAttribute.ORDER, &value, 4);
        }

        private void Set(MatrixLayoutAttribute attr, void* value, int bytes)
        {
            var code = Api.MatrixLayoutSetAttribute(handle, (int)attr, value, (nuint)bytes);
            if (code != 0)
            {
                CudaStatus.Throw(Library, $"cublasLtMatrixLayoutSetAttribute({attr})", code);
            }
        }

        protected override bool ReleaseHandle()
        {
            if (_functions is { } api)
            {
                _ = api.MatrixLayoutDestroy(handle);
            }
            return true;
        }
    }

    /// <summary>cublasLtMatmulPreference_t: limits for the heuristic search.</summary>
    internal sealed class MatmulPreference : SafeHandle
    {
        private MatmulPreference(IntPtr h)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

        public IntPtr Raw => handle;

        public override bool IsInvalid => handle == IntPtr.Zero;

        public static MatmulPreference Create()
        {
            IntPtr h;
            CudaStatus.Check(Library, "cublasLtMatmulPreferenceCreate", Api.MatmulPreferenceCreate(&h));
            return new MatmulPreference(h);
        }

        public void SetMaxWorkspace(ulong bytes)
        {
            var code = Api.MatmulPreferenceSetAttribute(handle, (int)PreferenceAttribute.MAX_WORKSPACE_BYTES, &bytes, 8);
            CudaStatus.Check(Library, "cublasLtMatmulPreferenceSetAttribute(MAX_WORKSPACE_BYTES)", code);
        }

        protected override bool ReleaseHandle()
        {
            if (_functions is { } api)
            {
                _ = api.MatmulPreferenceDestroy(handle);
            }
            return true;
        }
    }
}
