# Sourced by the device scripts: repo root as working directory, $OUT, a scratch $work (removed on exit) with the
# bundle made by publish.sh unpacked into it, and $silica, the published command.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
OUT="${OUT:-$root/out}"
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1 COLUMNS=200 SILICA_KERNEL_CACHE="$work/kcache"
tar -xJf .devcarry/bundle.tar.xz -C "$work" || { echo "$(basename "$0"): cannot unpack .devcarry/bundle.tar.xz (run benchmarks/gpu/publish.sh and carry .devcarry)" >&2; exit 2; }
silica="$work/silica/silica"
mkdir -p "$work/logs" "$work/check"
export silica work
