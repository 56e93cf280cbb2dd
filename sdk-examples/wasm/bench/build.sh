#!/usr/bin/env bash
# Builds the benchmark modules (same transform: n2 = id * 2) with Debian's clang + lld.
set -euo pipefail
cd "$(dirname "$0")"
for m in binary json extism; do
  clang --target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--strip-all -o "bench-$m-1.0.0.wasm" "double-$m.c"
done
