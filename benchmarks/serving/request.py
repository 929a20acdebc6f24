"""Writes one benchmark request for a model with one FP32 input of shape [batch, features], from its OIP metadata:
the JSON body (for wrk and the bare endpoint) and the same tensor as a framed gRPC ModelInferRequest (for h2load).

Usage: request.py METADATA_JSON OUT_JSON OUT_GRPC
The values are seeded random floats printed with 8 significant digits, so both bodies carry the same numbers.
"""
import json
import random
import struct
import sys

meta = json.load(open(sys.argv[1]))
tensor_meta = meta["inputs"][0]
features = tensor_meta["shape"][-1]
random.seed(42)
values = [float(f"{random.uniform(-1, 1):.8g}") for _ in range(features)]
json.dump({"inputs": [{"name": tensor_meta["name"], "datatype": "FP32", "shape": [1, features], "data": values}]},
          open(sys.argv[2], "w"), separators=(",", ":"))


def varint(n):
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        out += bytes([low | (0x80 if n else 0)])
        if not n:
            return out


def field(number, payload):
    """A length-delimited protobuf field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


# ModelInferRequest (the OIP's grpc_service.proto): model_name = 1, inputs = 5 (InferInputTensor: name = 1,
# datatype = 2, shape = 3 packed), raw_input_contents = 7 (little-endian). gRPC frames a message with a
# compression flag byte (0) and its length as 4 big-endian bytes.
tensor = field(1, tensor_meta["name"].encode()) + field(2, b"FP32") + field(3, varint(1) + varint(features))
message = field(1, meta["name"].encode()) + field(5, tensor) + field(7, struct.pack(f"<{features}f", *values))
open(sys.argv[3], "wb").write(b"\0" + struct.pack(">I", len(message)) + message)
