# Numeric check of emitted kernels on a GPU machine (cupy + NVRTC) against numpy references.
# Usage: SILICA_KERNEL_DUMP=/tmp/k dotnet test test/Silica.Runtime.Tests --filter "FullyQualifiedName~PassClangCudaSyntaxCheck"
#        python3 test/Silica.Runtime.Tests/Cuda/Kernels/gpu_numeric_check.py /tmp/k
import json, sys, os, math
import numpy as np
d = sys.argv[1] if len(sys.argv) > 1 else '.'
m = json.load(open(os.path.join(d, 'manifest.json')))
try:
    import cupy as cp
except Exception as e:
    print('no cupy:', e); sys.exit(0)
rng = np.random.default_rng(0)
NP = {'Float': np.float32, 'Float16': np.float16, 'Int64': np.int64, 'Int32': np.int32, 'Int8': np.int8, 'UInt8': np.uint8, 'Bool': np.uint8, 'BFloat16': np.uint16}
def to_f(a, t):
    if t == 'BFloat16': return (a.astype(np.uint32) << 16).view(np.float32)
    return a.astype(np.float32)
def from_f(x, t):
    if t == 'BFloat16':
        u = np.asarray(x, np.float32).view(np.uint32); return ((u + 0x7fff + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    if t == 'Bool': return (x != 0).astype(np.uint8)
    return np.asarray(x).astype(NP[t])
from math import erf
verf = np.vectorize(erf)
def ref(name, bufs, vals):
    v = [to_f(vals[b['Id']], b['Type']) for b in bufs]
    if name.startswith('ew-gelu'):
        x = v[0]; return {1: x * 0.5 * (1 + verf(x / math.sqrt(2)))}
    if name == 'ew-broadcast-bias':
        return {3: np.clip(v[0] + v[1] * v[2], 0, 6)}
    if name.startswith('layernorm-no-bias'):
        x = v[0]; mu = x.mean(-1, keepdims=True); var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return {2: (x - mu) / np.sqrt(var + 1e-6) * v[1]}
    if name.startswith('layernorm'):
        x = v[0]; mu = x.mean(-1, keepdims=True); var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return {3: (x - mu) / np.sqrt(var + 1e-5) * v[1] + v[2]}
    if name.startswith('softmax'):
        x = v[0]; e = np.exp(x - x.max(1, keepdims=True)); return {1: e / e.sum(1, keepdims=True)}
    if name.startswith('attention'):
        b_, h, sq, sk = 2, 3, 70, 33
        parts = name.split('-'); dd = int(parts[2]); mask = parts[3] == 'True'; causal = parts[4] == 'True'
        qkv = v[0].reshape(b_, sq, 3 * h * dd)
        q = qkv[:, :, :h*dd].reshape(b_, sq, h, dd).transpose(0, 2, 1, 3)
        k = q[:, :, :sk]; vv = k
        s = q @ k.transpose(0, 1, 3, 2) * 0.125
        if mask: s = s + v[1].reshape(b_, 1, 1, sk)
        if causal: s = np.where(np.arange(sk)[None, :] > np.arange(sq)[:, None], -np.inf, s)
        e = np.exp(s - s.max(-1, keepdims=True)); p = e / e.sum(-1, keepdims=True)
        o = p @ vv
        bshd = bufs[-1]['Shape'] == [b_, sq, h, dd]
        out = o.transpose(0, 2, 1, 3) if bshd else o
        return {bufs[-1]['Id']: out.reshape(bufs[-1]['Shape'])}
    if name.startswith('transpose'):
        perm = {'transpose-nchw-nhwc': (0, 2, 3, 1), 'transpose-bshd': (0, 2, 1, 3), 'transpose-int64-2d': (1, 0), 'transpose-reverse': (2, 1, 0)}[name]
        return {1: v[0].transpose(perm)}
    if name == 'gather-int64':
        return {2: np.take(v[0], vals[1], axis=0)}
    if name == 'gather-int32-axis1':
        return {2: np.take(v[0], vals[1], axis=1)}
    if name == 'concat': return {2: np.concatenate([v[0], v[1]], 1)}
    if name == 'slice-negative-step': return {1: v[0][1::2, 9::-2][:2, :4]}
    if name == 'expand': return {1: np.broadcast_to(v[0], (3, 4))}
    if name.startswith('reduce'):
        kind = name.split('-')[1]; x = v[0]
        f = {'Sum': np.sum, 'Mean': np.mean, 'Max': np.max, 'Min': np.min}[kind]
        if name == 'reduce-long-rows': f = np.mean
        if name == 'reduce-columns': return {1: x.max(1)}
        return {1: f(x, axis=-1)}
    if name.startswith('cast'):
        return {1: v[0]}
    if name == 'maxpool':
        x = np.pad(v[0], ((0,0),(0,0),(1,1),(1,1)), constant_values=-np.inf)
        return {1: np.array([[[[x[0,c,2*i:2*i+3,2*j:2*j+3].max() for j in range(5)] for i in range(5)] for c in range(4)]])}
    if name == 'avgpool-include-pad':
        x = np.pad(v[0], ((0,0),(0,0),(1,1),(1,1)))
        return {1: np.array([[[[x[0,c,2*i:2*i+3,2*j:2*j+3].mean() for j in range(5)] for i in range(5)] for c in range(4)]])}
    if name == 'avgpool-exclude-pad':
        x = np.pad(v[0], ((0,0),(0,0),(1,1),(1,1)), constant_values=np.nan)
        return {1: np.array([[[[np.nanmean(x[0,c,i:i+3,j:j+3]) for j in range(9)] for i in range(9)] for c in range(4)]])}
    if name == 'global-avgpool': return {1: v[0].mean((2, 3), keepdims=True)}
    if name == 'resize-Nearest-asymmetric-floor':
        x = v[0]; return {1: x[:, :, (np.arange(10) // 2)][:, :, :, (np.arange(14) // 2)]}
    if name == 'resize-Linear-align_corners-':
        x = v[0]
        def lin(a, n_in, n_out, axis):
            src = np.arange(n_out) * (n_in - 1) / (n_out - 1); i0 = np.floor(src).astype(int); i1 = np.minimum(i0 + 1, n_in - 1); l = src - i0
            sh = [1] * 4; sh[axis] = n_out; l = l.reshape(sh)
            return np.take(a, i0, axis) * (1 - l) + np.take(a, i1, axis) * l
        return {1: lin(lin(x, 5, 10, 2), 7, 14, 3)}
    if name == 'resize-Linear-half_pixel-':
        x = v[0]
        def lin(a, n_in, n_out, axis):
            src = np.clip((np.arange(n_out) + 0.5) / 2 - 0.5, 0, n_in - 1); i0 = np.floor(src).astype(int); i1 = np.minimum(i0 + 1, n_in - 1); l = src - i0
            sh = [1] * 4; sh[axis] = n_out; l = l.reshape(sh)
            return np.take(a, i0, axis) * (1 - l) + np.take(a, i1, axis) * l
        return {1: lin(lin(x, 5, 7 and 10, 2), 7, 14, 3)}
    return None

compiled = {}
fails = 0; checked = 0; compiled_ok = 0
for case in m:
    name = case['Name']; bufs = case['Buffers']
    try:
        vals = {}
        for b in bufs:
            n = int(np.prod(b['Shape'])) if b['Shape'] else 1
            t = b['Type']
            if t in ('Float', 'Float16', 'BFloat16'): a = from_f(rng.uniform(-2, 2, n).astype(np.float32), t)
            elif t == 'Bool': a = rng.integers(0, 2, n).astype(np.uint8)
            elif t in ('Int64', 'Int32'):
                a = rng.integers(-3, 3, n).astype(NP[t])
            else: a = rng.integers(0, 5, n).astype(NP[t])
            vals[b['Id']] = a.reshape(b['Shape']) if b['Shape'] else a
        dev = {i: cp.asarray(a) for i, a in vals.items()}
        for l in case['Launches']:
            key = l['Source']
            if key not in compiled:
                compiled[key] = cp.RawModule(code=l['Source'], backend='nvrtc', options=('--std=c++17',))
            fn = compiled[key].get_function(l['Entry'])
            args = []
            for kind, val in l['Args']:
                args.append(dev[val] if kind == 'buf' else (np.int64(val) if kind == 'i64' else (np.int32(val) if kind == 'i32' else np.float32(val))))
            fn(tuple(l['Grid']), tuple(l['Block']), tuple(args), shared_mem=l['SharedBytes'])
        cp.cuda.runtime.deviceSynchronize()
        compiled_ok += 1
        r = ref(name, bufs, vals)
        if r is None: print('RAN    ', name); continue
        for bid, expect in r.items():
            t = bufs[bid]['Type']
            got = to_f(cp.asnumpy(dev[bid]), t).reshape(np.shape(expect))
            exp = to_f(from_f(np.asarray(expect, np.float32), t), t) if t != 'Float' else np.asarray(expect, np.float32)
            tol = 1e-4 if t == 'Float' else (2e-2 if t == 'Float16' else 8e-2)
            err = np.nanmax(np.abs(got - exp) / (1 + np.abs(exp))) if got.size else 0
            ok = err <= tol
            checked += 1
            if not ok: fails += 1
            print('OK     ' if ok else 'MISMATCH', name, 'buf', bid, 'max rel err %.3g' % err)
    except Exception as e:
        fails += 1
        print('ERROR  ', name, type(e).__name__, str(e)[:2000])
print('cases', len(m), 'ran', compiled_ok, 'checked', checked, 'failures', fails)
