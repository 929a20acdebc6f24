// Declarations standing in for the CUDA headers so clang can syntax-check emitted kernels on a machine without CUDA
// (see KernelSyntaxTests). Only what the emitters use; semantics do not matter, signatures do.
#pragma once
#define __host__ __attribute__((host))
#define __device__ __attribute__((device))
#define __global__ __attribute__((global))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
#include "__clang_cuda_builtin_vars.h"

struct uint3 { unsigned int x, y, z; };
struct dim3 { unsigned int x, y, z; };
struct float2 { float x, y; };
struct float4 { float x, y, z, w; };
struct uint2 { unsigned int x, y; };
struct uint4 { unsigned int x, y, z, w; };
__device__ float4 make_float4(float, float, float, float);
__device__ float2 make_float2(float, float);
__device__ uint2 make_uint2(unsigned int, unsigned int);
__device__ uint4 make_uint4(unsigned int, unsigned int, unsigned int, unsigned int);

struct __half { unsigned short __x; };
struct __half2 { __half x, y; };
struct __nv_bfloat16 { unsigned short __x; };
struct __nv_bfloat162 { __nv_bfloat16 x, y; };
__device__ float __half2float(__half);
__device__ __half __float2half_rn(float);
__device__ __half __ushort_as_half(unsigned short);
__device__ unsigned short __half_as_ushort(__half);
__device__ float __bfloat162float(__nv_bfloat16);
__device__ __nv_bfloat16 __float2bfloat16_rn(float);
__device__ __nv_bfloat16 __ushort_as_bfloat16(unsigned short);
__device__ unsigned short __bfloat16_as_ushort(__nv_bfloat16);

typedef unsigned char __nv_fp8_storage_t;
enum __nv_saturation_t { __NV_NOSAT, __NV_SATFINITE };
enum __nv_fp8_interpretation_t { __NV_E4M3, __NV_E5M2 };
__device__ __nv_fp8_storage_t __nv_cvt_float_to_fp8(float, __nv_saturation_t, __nv_fp8_interpretation_t);

__device__ float __int_as_float(int);
__device__ float __uint_as_float(unsigned int);
__device__ int __float_as_int(float);
__device__ unsigned int __float_as_uint(float);
__device__ float __shfl_xor_sync(unsigned int, float, int, int = 32);
__device__ float __shfl_sync(unsigned int, float, int, int = 32);
__device__ void __syncthreads();
__device__ int atomicMax(int*, int);
__device__ unsigned int atomicMax(unsigned int*, unsigned int);
__device__ float atomicAdd(float*, float);

__device__ float fmaxf(float, float);
__device__ float fminf(float, float);
__device__ float fabsf(float);
__device__ float expf(float);
__device__ float __expf(float);
__device__ float logf(float);
__device__ float sqrtf(float);
__device__ float rsqrtf(float);
__device__ float tanhf(float);
__device__ float erff(float);
__device__ float floorf(float);
__device__ float ceilf(float);
__device__ float rintf(float);
__device__ float roundf(float);
__device__ float sinf(float);
__device__ float cosf(float);
__device__ float powf(float, float);
__device__ float fmodf(float, float);
