#!/usr/bin/env bash
# Rebuilds the web console's committed bundle (server/src/main/resources/io/dataflare/server/console/) and the
# axe-core copy the browser test injects (server/src/test/resources/axe/) from these sources with the versions of
# package-lock.json, and fails when the result differs from the committed files: what is in the repository must be
# what these sources build to. Needs node and npm (apt-get install nodejs npm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bundle="$here/../resources/io/dataflare/server/console"
axe="$here/../../test/resources/axe"

if ! command -v npm >/dev/null; then
  echo "rebuild.sh: needs node and npm (apt-get install nodejs npm)" >&2
  exit 2
fi
(cd "$here" && npm ci --silent --no-audit --no-fund && npm run --silent build)

changed="$(git -C "$here" status --porcelain --untracked-files=all -- "$bundle" "$axe")"
if [ -n "$changed" ]; then
  echo "rebuild.sh: the committed console bundle is not what its sources build to; commit the rebuilt files:" >&2
  echo "$changed" >&2
  git -C "$here" --no-pager diff --stat -- "$bundle" "$axe" >&2
  exit 1
fi
echo "rebuild.sh: the committed console bundle is what its sources build to"
