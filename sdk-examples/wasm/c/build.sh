#!/usr/bin/env bash
# Builds the C examples with Debian's clang + lld.
set -euo pipefail
cd "$(dirname "$0")"
flags=(--target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--strip-all)
clang "${flags[@]}" -o c-tag-1.0.0.wasm tag.c
clang "${flags[@]}" -o c-count-1.0.0.wasm count.c
clang "${flags[@]}" -o c-policies-1.0.0.wasm policies.c
clang "${flags[@]}" -o c-check-1.0.0.wasm check.c
