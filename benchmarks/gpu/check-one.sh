#!/usr/bin/env bash
# gpu-check of one model in its own process, for run.sh (expects $silica and $work exported).
timeout --kill-after=5 "${CHECK_MODEL_TIMEOUT:-75}" "$silica" gpu-check --backend cuda --models "$1" --precision "${CHECK_PRECISIONS:-fp32,tf32,fp16,bf16,fp8}" --ocr-dir "$work/testdata/ocr-models" --diagnose \
  --json "$work/check/$1.json" > "$work/logs/check-$1.log" 2>&1
echo "$1: exit $?"
