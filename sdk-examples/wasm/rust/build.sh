#!/usr/bin/env bash
# Builds rust-keys-1.0.0.wasm with Debian's rustc (a rustup toolchain may lack the wasm32 target).
set -euo pipefail
cd "$(dirname "$0")"
/usr/bin/rustc --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib -C opt-level=3 -C panic=abort \
  -C strip=symbols -o rust-keys-1.0.0.wasm src/lib.rs
/usr/bin/rustc --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib -C opt-level=3 -C panic=abort \
  -C strip=symbols -o rust-policies-1.0.0.wasm src/policies.rs
/usr/bin/rustc --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib -C opt-level=3 -C panic=abort \
  -C strip=symbols -o rust-stock-indicators-1.0.0.wasm src/stock_indicators.rs
