#!/usr/bin/env bash
# Rebuilds plugin-api-1.0.0.jar, the baseline the binary compatibility check (japicmp, run by `mvn verify` in
# plugin-api) compares this build's plugin-api with: plugin-api as released at the git tag v1.0.0.
# Usage: plugin-api/compat/rebuild-baseline.sh [TAG] (default v1.0.0). Needs git, Maven and a JDK 21+.
set -euo pipefail
TAG="${1:-v1.0.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(git -C "$HERE" rev-parse --show-toplevel)"
TMP="$(mktemp -d)"
trap 'git -C "$ROOT" worktree remove --force "$TMP/src" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
git -C "$ROOT" worktree add --detach "$TMP/src" "$TAG" >/dev/null
(cd "$TMP/src" && mvn -o -q -pl plugin-api package -DskipTests)
cp "$TMP/src"/plugin-api/target/plugin-api-*.jar "$HERE/plugin-api-${TAG#v}.jar"
echo "wrote $HERE/plugin-api-${TAG#v}.jar from $TAG"
