#!/usr/bin/env bash
# Rebuilds every example and benchmark module from source, then runs the examples' tests against the
# rebuilt files. Installs nothing: it needs Debian's clang + lld and rustc + libstd-rust-dev-wasm32,
# and node with the npm packages already installed in assemblyscript/ and extism-as/
#   npm ci --prefix sdk-examples/wasm/assemblyscript
#   npm ci --prefix sdk-examples/wasm/extism-as
# Exits non-zero when a toolchain is missing or a rebuilt module does not pass the tests. Byte-level
# differences from the committed modules are listed but are not failures (compilers differ across
# versions; behaviour is what counts).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

missing=()
command -v clang >/dev/null || missing+=("clang (apt-get install clang)")
command -v wasm-ld >/dev/null || missing+=("wasm-ld (apt-get install lld)")
[ -x /usr/bin/rustc ] || missing+=("/usr/bin/rustc (apt-get install rustc)")
[ -d /usr/lib/rustlib/wasm32-unknown-unknown ] || missing+=("the wasm32 Rust std (apt-get install libstd-rust-dev-wasm32)")
command -v node >/dev/null || missing+=("node (apt-get install nodejs npm)")
[ -x "$here/assemblyscript/node_modules/.bin/asc" ] || missing+=("AssemblyScript (npm ci --prefix sdk-examples/wasm/assemblyscript)")
[ -d "$here/extism-as/node_modules/@extism/as-pdk" ] || missing+=("Extism's AssemblyScript PDK (npm ci --prefix sdk-examples/wasm/extism-as)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'rebuild.sh: missing toolchain: %s\n' "${missing[@]}" >&2
  exit 2
fi

"$here/c/build.sh"
"$here/extism-c/build.sh"
"$here/bench/build.sh"
"$here/rust/build.sh"
(cd "$here/assemblyscript" && node_modules/.bin/asc assembly/index.ts -O3 --runtime stub --noAssert --use abort= -o as-square-1.0.0.wasm)
(cd "$here/assemblyscript" && node_modules/.bin/asc assembly/policies.ts -O3 --runtime stub --noAssert --use abort= -o as-policies-1.0.0.wasm)
(cd "$here/extism-as" && node_modules/.bin/asc assembly/index.ts -O3 --use abort=assembly/index/myAbort -o extism-shout-1.0.0.wasm)
(cd "$here/extism-as" && node_modules/.bin/asc assembly/fetch.ts -O3 --use abort=assembly/fetch/myAbort -o extism-fetch-1.0.0.wasm)
# the example shipped with Extism's AssemblyScript PDK, untouched, built by the PDK's own recipe (its Makefile)
(cd "$here/extism-as/node_modules/@extism/as-pdk" && ../../../node_modules/.bin/asc example.ts --use abort=example/myAbort \
  --outFile ../../../as-pdk-example-1.0.0.wasm)

echo "== rebuilt modules that differ byte-wise from the committed ones (informational):"
git -C "$root" status --short -- 'sdk-examples/wasm/*.wasm' || true

echo "== testing the rebuilt modules"
cd "$root"
mvn -B -q -pl sdk-examples/wasm -am verify -Dtest='SdkExamplesTest,SdkKindsTest' -Dsurefire.failIfNoSpecifiedTests=false
echo "rebuild.sh: every rebuilt module passes its tests"
