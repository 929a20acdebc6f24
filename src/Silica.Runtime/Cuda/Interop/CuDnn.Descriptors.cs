using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

internal sealed unsafe partial class CuDnn
{
    /// <summary>Base for the legacy descriptors: an opaque pointer destroyed through its own function.</summary>
    internal abstract class Descriptor : SafeHandle
    {
        private protected Descriptor(IntPtr h)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);

        public IntPtr Raw => handle;

        public override bool IsInvalid => handle == IntPtr.Zero;

        private protected abstract int Destroy(Functions api, IntPtr h);

        protected override bool ReleaseHandle()
        {
            if (_functions is { } api)
            {
                _ = Destroy(api, handle);
            }
            return true;
        }

        private protected static IntPtr New(delegate* unmanaged<IntPtr*, int> create, string function)
        {
            IntPtr h;
            CudaStatus.Check(Library, function, create(&h));
            return h;
        }
    }

    /// <summary>cudnnTensorDescriptor_t.</summary>
    internal sealed class TensorDescriptor : Descriptor
    {
        private TensorDescriptor(IntPtr h)
            : base(h)
        {
        }

        /// <summary>A packed 4-D tensor; the dimensions are always given as N, C, H, W whatever the memory format.</summary>
        public static TensorDescriptor Create(DataType type, TensorFormat format, int n, int c, int h, int w)
        {
            var d = new TensorDescriptor(New(Api.CreateTensorDescriptor, "cudnnCreateTensorDescriptor"));
            CudaStatus.Check(Library, "cudnnSetTensor4dDescriptor", Api.SetTensor4dDescriptor(d.handle, (int)format, (int)type, n, c, h, w));
            return d;
        }

        /// <summary>An N-D (3 to 8) tensor with explicit strides in elements.</summary>
        public static TensorDescriptor Create(DataType type, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
        {
            if (dims.Length != strides.Length)
            {
                throw new ArgumentException("dims and strides differ in length", nameof(strides));
            }
            var d = new TensorDescriptor(New(Api.CreateTensorDescriptor, "cudnnCreateTensorDescriptor"));
            fixed (int* pd = dims)
            fixed (int* ps = strides)
            {
                CudaStatus.Check(Library, "cudnnSetTensorNdDescriptor", Api.SetTensorNdDescriptor(d.handle, (int)type, dims.Length, pd, ps));
            }
            return d;
        }

        private protected override int Destroy(Functions api, IntPtr h) => api.DestroyTensorDescriptor(h);
    }

    /// <summary>cudnnFilterDescriptor_t: K output channels, C input channels per group, kernel H×W.</summary>
    internal sealed class FilterDescriptor : Descriptor
    {
        private FilterDescriptor(IntPtr h)
            : base(h)
        {
        }

        public static FilterDescriptor Create(DataType type, TensorFormat format, int k, int c, int h, int w)
        {
            var d = new FilterDescriptor(New(Api.CreateFilterDescriptor, "cudnnCreateFilterDescriptor"));
            CudaStatus.Check(Library, "cudnnSetFilter4dDescriptor", Api.SetFilter4dDescriptor(d.handle, (int)type, (int)format, k, c, h, w));
            return d;
        }

        private protected override int Destroy(Functions api, IntPtr h) => api.DestroyFilterDescriptor(h);
    }

    /// <summary>cudnnConvolutionDescriptor_t, cross-correlation (what ONNX Conv means).</summary>
    internal sealed class ConvolutionDescriptor : Descriptor
    {
        private ConvolutionDescriptor(IntPtr h)
            : base(h)
        {
        }

        /// <param name="padH">Top padding (cuDNN pads symmetrically: asymmetric ONNX pads need a pre-pad).</param>
        /// <param name="padW">Left padding.</param>
        /// <param name="strideH">Vertical stride.</param>
        /// <param name="strideW">Horizontal stride.</param>
        /// <param name="dilationH">Vertical dilation.</param>
        /// <param name="dilationW">Horizontal dilation.</param>
        /// <param name="groups">Group count (channels for depthwise).</param>
        /// <param name="compute">Accumulation type: Float for float and half data.</param>
        /// <param name="math">Tensor-core policy; <see cref="MathType.Fma"/> keeps fp32 exact, the default allows fp16/tf32 conversion.</param>
        public static ConvolutionDescriptor Create(int padH, int padW, int strideH, int strideW, int dilationH, int dilationW, int groups,
            DataType compute, MathType math = MathType.TensorOpAllowConversion)
        {
            var d = new ConvolutionDescriptor(New(Api.CreateConvolutionDescriptor, "cudnnCreateConvolutionDescriptor"));
            CudaStatus.Check(Library, "cudnnSetConvolution2dDescriptor",
                Api.SetConvolution2dDescriptor(d.handle, padH, padW, strideH, strideW, dilationH, dilationW, CrossCorrelation, (int)compute));
            if (groups != 1)
            {
                CudaStatus.Check(Library, "cudnnSetConvolutionGroupCount", Api.SetConvolutionGroupCount(d.handle, groups));
            }
            CudaStatus.Check(Library, "cudnnSetConvolutionMathType", Api.SetConvolutionMathType(d.handle, (int)math));
            return d;
        }

        private protected override int Destroy(Functions api, IntPtr h) => api.DestroyConvolutionDescriptor(h);
    }

    /// <summary>cudnnActivationDescriptor_t; coef is the clip ceiling for ClippedRelu (alpha for Elu, beta for Swish).</summary>
    internal sealed class ActivationDescriptor : Descriptor
    {
        private ActivationDescriptor(IntPtr h)
            : base(h)
        {
        }

        public static ActivationDescriptor Create(ActivationMode mode, double coef = 0)
        {
            var d = new ActivationDescriptor(New(Api.CreateActivationDescriptor, "cudnnCreateActivationDescriptor"));
            CudaStatus.Check(Library, "cudnnSetActivationDescriptor", Api.SetActivationDescriptor(d.handle, (int)mode, NotPropagateNan, coef));
            return d;
        }

        private protected override int Destroy(Functions api, IntPtr h) => api.DestroyActivationDescriptor(h);
    }

    /// <summary>cudnnPoolingDescriptor_t, 2-D (symmetric padding).</summary>
    internal sealed class PoolingDescriptor : Descriptor
    {
        private PoolingDescriptor(IntPtr h)
            : base(h)
        {
        }

        public static PoolingDescriptor Create(PoolingMode mode, int windowH, int windowW, int padH, int padW, int strideH, int strideW)
        {
            var d = new PoolingDescriptor(New(Api.CreatePoolingDescriptor, "cudnnCreatePoolingDescriptor"));
            CudaStatus.Check(Library, "cudnnSetPooling2dDescriptor",
                Api.SetPooling2dDescriptor(d.handle, (int)mode, NotPropagateNan, windowH, windowW, padH, padW, strideH, strideW));
            return d;
        }

        private protected override int Destroy(Functions api, IntPtr h) => api.DestroyPoolingDescriptor(h);
    }
}
