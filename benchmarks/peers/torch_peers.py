#!/usr/bin/env python3
"""PyTorch peers for Silica's GPU numbers: the same BERT and ResNet-50 architectures as Silica's zoo
(src/Silica.Onnx/Zoo/Bert.cs, ResNet.cs), random weights, FP16 on CUDA, timed with CUDA events.

Measures bert-base (seq 128, batch 1 and 64; eager and torch.compile), bert-large (batch 64),
resnet50 (batch 1 and 128; eager NCHW and channels_last, compile optional), plus D2D copy bandwidth
and torch.matmul FP16 on bert-base's GEMM shapes (what cuBLASLt gives). Prints a table, writes --json.

No torchvision or transformers: the modules are written here, matching the zoo configs
(BERT: vocab 30522, 512 positions, 2 token types, post-LN, GELU-erf, LayerNorm eps 1e-12, tanh pooler;
ResNet-50 v1.5: stride in the 3x3 conv, BatchNorm, 1000 classes).
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- BERT (zoo:bert-base / zoo:bert-large)
BERT = {
    "bert-base": dict(layers=12, hidden=768, heads=12, intermediate=3072),
    "bert-large": dict(layers=24, hidden=1024, heads=16, intermediate=4096),
}
VOCAB, MAX_POS, TYPES, LN_EPS = 30522, 512, 2, 1e-12


class BertLayer(nn.Module):
    def __init__(self, hidden, heads, intermediate, attention):
        super().__init__()
        self.heads, self.head_dim, self.attention = heads, hidden // heads, attention
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=LN_EPS)
        self.up = nn.Linear(hidden, intermediate)
        self.down = nn.Linear(intermediate, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=LN_EPS)

    def split(self, t):
        b, s, _ = t.shape
        return t.view(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        if self.attention == "sdpa":
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        else:  # the zoo graph's own form: MatMul, scale, add mask, Softmax, MatMul
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
            ctx = torch.matmul(torch.softmax(scores, dim=-1), v)
        b, _, s, _ = ctx.shape
        ctx = ctx.transpose(1, 2).reshape(b, s, -1)
        x = self.ln1(self.out(ctx) + x)  # post-LN
        return self.ln2(self.down(F.gelu(self.up(x))) + x)  # F.gelu default is the erf form


class Bert(nn.Module):
    def __init__(self, layers, hidden, heads, intermediate, attention="sdpa"):
        super().__init__()
        self.words = nn.Embedding(VOCAB, hidden)
        self.positions = nn.Embedding(MAX_POS, hidden)
        self.types = nn.Embedding(TYPES, hidden)
        self.ln = nn.LayerNorm(hidden, eps=LN_EPS)
        self.layers = nn.ModuleList(BertLayer(hidden, heads, intermediate, attention) for _ in range(layers))
        self.pooler = nn.Linear(hidden, hidden)

    def forward(self, input_ids, attention_mask, token_type_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.ln(self.words(input_ids) + self.types(token_type_ids) + self.positions(pos))
        bias = ((1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0)
        for layer in self.layers:
            x = layer(x, bias)
        return x, torch.tanh(self.pooler(x[:, 0]))


# ---------------------------------------------------------------- ResNet-50 v1.5 (zoo:resnet50)
class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * 4
        self.conv1, self.bn1 = nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width)
        self.conv2, self.bn2 = nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width)
        self.conv3, self.bn3 = nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet50(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        blocks, cin = [], 64
        for stage, (width, count) in enumerate([(64, 3), (128, 4), (256, 6), (512, 3)]):
            for i in range(count):
                blocks.append(Bottleneck(cin, width, 2 if stage > 0 and i == 0 else 1))
                cin = width * 4
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(2048, classes)

    def forward(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1), 1))


# ---------------------------------------------------------------- timing
def time_ms(fn, warmup, iters):
    """Median of per-iteration CUDA-event times, after warm-up (the first calls compile and autotune)."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(iters):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def row(model, variant, batch, ms, extra=None):
    r = {"model": model, "variant": variant, "batch": batch, "ms": ms, "inferences_per_s": batch * 1000.0 / ms if ms else None}
    r.update(extra or {})
    return r


def bert_runs(name, batches, seq, modes, args):
    cfg = BERT[name]
    out = []
    model = Bert(**cfg, attention=args.attention).cuda().half().eval()
    for b in batches:
        ids = torch.randint(1, 1000, (b, seq), device="cuda")
        mask = torch.ones(b, seq, dtype=torch.int64, device="cuda")
        types = torch.zeros(b, seq, dtype=torch.int64, device="cuda")
        for mode in modes:
            fn = model if mode == "eager" else compiled(model, mode)
            t0 = time.perf_counter()
            with torch.inference_mode():
                ms = time_ms(lambda: fn(ids, mask, types), args.warmup, args.iters)
            out.append(row(name, mode, b, ms, {"seq": seq, "precision": "fp16", "attention": args.attention,
                                               "wall_s": round(time.perf_counter() - t0, 1)}))
            print_row(out[-1])
    return out


def resnet_runs(batches, modes, args):
    out = []
    base = ResNet50().cuda().half().eval()
    for b in batches:
        for layout in [l for l in ("channels_last", "nchw") if l in args.resnet_layouts.split(",")]:
            fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
            model = base.to(memory_format=fmt)
            x = torch.randn(b, 3, 224, 224, device="cuda", dtype=torch.half).to(memory_format=fmt)
            for mode in modes:
                if mode != "eager" and layout == "nchw":
                    continue  # compile is measured on the faster layout only, to bound compile time
                fn = model if mode == "eager" else compiled(model, mode)
                with torch.inference_mode():
                    ms = time_ms(lambda: fn(x), args.warmup, args.iters)
                out.append(row("resnet50", f"{mode}-{layout}", b, ms, {"precision": "fp16"}))
                print_row(out[-1])
    return out


_compiled = {}


def compiled(model, mode):
    key = (id(model), mode)
    if key not in _compiled:
        _compiled[key] = torch.compile(model) if mode == "compile" else torch.compile(model, mode="max-autotune-no-cudagraphs")
    return _compiled[key]


def copy_bandwidth(args):
    n = 1 << 30
    src = torch.empty(n, dtype=torch.uint8, device="cuda")
    ms = time_ms(lambda: src.clone(), 2, max(5, args.iters // 2))
    r = {"what": "d2d_clone_1GiB", "ms": ms, "GBps": 2 * n / (ms / 1000) / 1e9}  # read + write
    del src
    torch.cuda.empty_cache()
    print(f"D2D clone 1 GiB: {ms:.3f} ms, {r['GBps']:.0f} GB/s (read+write)")
    return r


def gemm_timings(args):
    """torch.matmul FP16 on bert-base's GEMMs at seq 128 (M = batch*seq): QKV/out, FFN up, FFN down."""
    out = []
    for batch in (1, 64):
        m = batch * 128
        for name, k, n in (("attn_proj", 768, 768), ("qkv_fused", 768, 2304), ("ffn_up", 768, 3072), ("ffn_down", 3072, 768)):
            a = torch.randn(m, k, device="cuda", dtype=torch.half)
            w = torch.randn(k, n, device="cuda", dtype=torch.half)
            ms = time_ms(lambda: torch.matmul(a, w), 3, args.iters)
            tflops = 2 * m * k * n / (ms / 1000) / 1e12
            out.append({"gemm": name, "m": m, "k": k, "n": n, "ms": ms, "tflops": tflops})
            print(f"GEMM {name:10s} {m}x{k}x{n}: {ms:.4f} ms, {tflops:.1f} TFLOP/s")
    return out


def print_row(r):
    print(f"{r['model']:12s} {r['variant']:28s} b{r['batch']:<4d} {r['ms']:9.3f} ms  {r['inferences_per_s']:10.1f} inf/s", flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", help="write results here")
    p.add_argument("--iters", type=int, default=50, help="timed iterations per point (median reported)")
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--no-compile", action="store_true", help="eager only (no torch.compile)")
    p.add_argument("--max-autotune", action="store_true", help="also torch.compile mode=max-autotune-no-cudagraphs (slow to compile)")
    p.add_argument("--attention", choices=["sdpa", "math"], default="sdpa", help="BERT attention: fused SDPA (HF default) or the zoo graph's matmul+softmax")
    p.add_argument("--only", default="bert-base,bert-large,resnet50,copy,gemm", help="comma-separated subset")
    p.add_argument("--compile-models", default="bert-base,bert-large,resnet50", help="models that also get torch.compile (compiling is the slow part)")
    p.add_argument("--resnet-layouts", default="channels_last,nchw", help="resnet50 memory formats to time")
    args = p.parse_args(argv)
    if not torch.cuda.is_available():
        print("torch_peers: CUDA is not available", file=sys.stderr)
        return 2
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    modes = ["eager"] + ([] if args.no_compile else ["compile"]) + (["max-autotune"] if args.max_autotune else [])
    only = set(args.only.split(","))
    compile_models = set(args.compile_models.split(","))

    def modes_for(model):
        return modes if model in compile_models else ["eager"]
    result = {"schema": 1, "torch": torch.__version__, "cuda": torch.version.cuda, "device": torch.cuda.get_device_name(0),
              "iters": args.iters, "warmup": args.warmup, "runs": [], "gemm": [], "copy": None}
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {result['device']}")
    # Cheap steps first and eager before compile within each model: a stage timeout then loses the least.
    steps = [
        ("copy", lambda: result.__setitem__("copy", copy_bandwidth(args))),
        ("gemm", lambda: result["gemm"].extend(gemm_timings(args))),
        ("bert-base", lambda: result["runs"].extend(bert_runs("bert-base", [1, 64], 128, modes_for("bert-base"), args))),
        ("resnet50", lambda: result["runs"].extend(resnet_runs([1, 128], modes_for("resnet50"), args))),
        ("bert-large", lambda: result["runs"].extend(bert_runs("bert-large", [64], 128, modes_for("bert-large")[:2], args))),
    ]
    for name, step in steps:
        if name not in only:
            continue
        try:
            step()
        except Exception as e:  # one failing peer must not lose the others' numbers
            print(f"torch_peers: {name} failed: {e}", file=sys.stderr)
            result.setdefault("errors", []).append({"step": name, "error": str(e)[:500]})
        if args.json:  # write after every step, so a timeout still leaves what finished
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
