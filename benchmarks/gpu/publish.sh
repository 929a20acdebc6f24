#!/usr/bin/env bash
# Builds what benchmarks/gpu/run.sh needs on the GPU machine (which has no .NET) into .devcarry/ (git-ignored):
#   .devcarry/bundle.tar.xz  = silica/ (self-contained linux-x64 publish) + testdata/ocr-models + testdata/node (a subset)
# The unpacked publish is ~115 MiB; xz brings the bundle under the 60 MiB the device carry allows.
# Usage: benchmarks/gpu/publish.sh   (then: run tool with carry [".devcarry"], command benchmarks/gpu/run.sh)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cache="${SILICA_TESTDATA:-$root/.cache/testdata}"
limit_mib=60

rm -rf .devcarry
mkdir -p .devcarry/testdata
dotnet publish src/Silica.Cli -c Release -r linux-x64 --self-contained -p:PublishTrimmed=false -o .devcarry/silica

cp -r "$cache/ocr-models" .devcarry/testdata/ocr-models

# Node tests of the operators the zoo and OCR models use (plus neighbours), not all 900: kernel coverage where
# it matters, and a small carry.
node_src="$cache/onnx-backend/data/node"
mkdir -p .devcarry/testdata/node
ops='add|sub|mul|div|pow|sqrt|reciprocal|neg|exp|log|erf|tanh|sigmoid|hardsigmoid|hardswish|relu|leakyrelu|clip|gelu|softmax|logsoftmax|matmul|gemm|conv|basic_conv|batchnorm|layer_normalization|globalaveragepool|averagepool|maxpool|reduce_mean|reduce_sum|reduce_max|transpose|reshape|flatten|squeeze|unsqueeze|concat|split|slice|gather|expand|where|equal|cast|shape|constantofshape|range|resize|pad|identity|argmax|tile'
for d in "$node_src"/test_*; do
  name="$(basename "$d")"
  if [[ "$name" =~ ^test_($ops)(_|$) ]]; then
    cp -r "$d" .devcarry/testdata/node/
  fi
done
echo "publish: $(ls .devcarry/testdata/node | wc -l) node tests"

tar -C .devcarry -cf - silica testdata | xz -T0 -6 > .devcarry/bundle.tar.xz
rm -rf .devcarry/silica .devcarry/testdata
size_mib=$(( $(du -sb .devcarry | cut -f1) / 1048576 ))
du -sh .devcarry/bundle.tar.xz
echo "publish: .devcarry is ${size_mib} MiB (limit ${limit_mib} MiB)"
if [ "$size_mib" -ge "$limit_mib" ]; then
  echo "publish: .devcarry is over ${limit_mib} MiB" >&2
  exit 1
fi
