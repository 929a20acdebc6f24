#!/usr/bin/env bash
# Renders a silica report.html to a PNG with headless Chromium, to look at the layout:
#   scripts/screenshot-report.sh <report.html> <out.png> [width] [height]
# Installs Debian's chromium when it is missing (with sudo unless already root).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <report.html> <out.png> [width=1400] [height=3000]" >&2
  exit 2
fi

html="$1"
out="$2"
width="${3:-1400}"
height="${4:-3000}"

if [ ! -f "$html" ]; then
  echo "screenshot-report: no such file: $html" >&2
  exit 1
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "screenshot-report: installing chromium (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

abs_html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
mkdir -p "$(dirname "$out")"
abs_out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --screenshot="$abs_out" --window-size="$width,$height" "file://$abs_html" 2>/dev/null
echo "screenshot-report: wrote $abs_out"
