# Shared by the benchmarks/optimize scripts (sourced, not run).
QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-60}"
# shellcheck source=../lib/quiet.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/quiet.sh"
export SILICA_TESTDATA="${SILICA_TESTDATA:-$PWD/.cache/testdata}"
REC="$SILICA_TESTDATA/ocr-models/ch_PP-OCRv4_rec_infer.onnx"
