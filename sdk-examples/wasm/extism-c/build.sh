#!/usr/bin/env bash
# Builds extism-greet-1.0.0.wasm with Debian's clang + lld.
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--strip-all -o extism-greet-1.0.0.wasm greet.c
