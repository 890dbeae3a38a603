#!/usr/bin/env bash
# The release pipeline of .github/workflows/ci.yml, run on this machine against a registry on
# loopback (scripts/local-registry.sh): build linux/amd64 and linux/arm64, push one multi-arch tag,
# inspect its manifest list, then pull the arm64 image and run it under emulation (qemu-user-static
# + binfmt_misc, .ci/publish-setup.sh) until /health/ready answers and a document written through
# it lands in the mounted folder, and show that the file-lock addon loads on arm64.
#
# Usage: scripts/publish-local.sh REGISTRY VERSION      e.g. 127.0.0.1:41234 1.2.3
# Pushes REGISTRY/$REPO:VERSION (REPO defaults to jsondock). Progress goes to stderr; stdout has
# one line per step, the same on every run (the docs and test/publish/publish-local.test.ts read it).
#
# Why not one `docker buildx build --platform linux/amd64,linux/arm64 --push` as in the workflow:
# that needs a docker-container builder (the moby/buildkit image, which no registry here can
# provide, and neither Debian nor npm packages it) or the containerd image store (Docker 24+;
# this engine is 20.10). The engine's own BuildKit builds one platform at a time, so each platform
# is built and pushed by itself and `docker buildx imagetools create` joins them into one tag:
# the registry ends up with the same manifest list.
#
# Base image: node:26-alpine as is (multi-arch on Docker Hub). When it is the CI stand-in
# (.ci/stand-in-base.sh), which is one architecture per local tag, the stand-in and its arm64 twin
# are first pushed and joined into REGISTRY/jsondock-ci/node:26-alpine, and the build uses that.
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY=${1:?usage: $0 REGISTRY VERSION}
VERSION=${2:?usage: $0 REGISTRY VERSION}
REPO=${REPO:-jsondock}
MAJOR=26
IMAGE=$REGISTRY/$REPO:$VERSION
PLATFORMS="amd64 arm64"
MUSL_LOADER=${MUSL_ARM64_LOADER:-${JSONDOCK_CI_CACHE:-/var/cache/jsondock-ci}/musl-arm64/lib/ld-musl-aarch64.so.1}
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "VERSION must be X.Y.Z, got '$VERSION'" >&2; exit 2; }

name=jsondock-arm64-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
data=$(mktemp -d /tmp/jsondock-publish.XXXXXX)
local_tags=()
cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  [ ${#local_tags[@]} -eq 0 ] || docker image rm "${local_tags[@]}" >/dev/null 2>&1 || true
  rm -rf "$data" 2>/dev/null || docker run --rm --user 0 -v "$data:/x" --entrypoint rm "$IMAGE" -rf /x/notes >/dev/null 2>&1 || true
  rm -rf "$data" 2>/dev/null || true
}
trap cleanup EXIT
log() { printf '[publish-local] %s\n' "$*" >&2; }
fail() { printf '[publish-local] FAILED: %s\n' "$*" >&2; exit 1; }

[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || fail "no binfmt_misc entry for arm64: run .ci/publish-setup.sh (qemu-user-static)"

# ---- base image ----
base=node:$MAJOR-alpine
if [ "$(docker image inspect -f '{{index .Config.Labels "io.jsondock.ci.standin"}}' "$base" 2>/dev/null)" = true ]; then
  twin=$(bash .ci/stand-in-base.sh "$MAJOR" arm64 2>/dev/null | tail -n1) || fail "the arm64 stand-in (.ci/stand-in-base.sh $MAJOR arm64) could not be built"
  base=$REGISTRY/jsondock-ci/node:$MAJOR-alpine
  for p in $PLATFORMS; do
    src=$([ "$p" = amd64 ] && echo "node:$MAJOR-alpine" || echo "$twin")
    docker tag "$src" "$base-$p"; local_tags+=("$base-$p")
    docker push -q "$base-$p" >/dev/null || fail "push of the $p stand-in to $REGISTRY"
  done
  docker buildx imagetools create -t "$base" "$base-amd64" "$base-arm64" >/dev/null 2>&1 || fail "imagetools create of $base"
  echo "base: the CI stand-in for node:$MAJOR-alpine, linux/amd64 and linux/arm64, as $REGISTRY/jsondock-ci/node:$MAJOR-alpine"
else
  echo "base: node:$MAJOR-alpine"
fi

# ---- build and push each platform, then one tag for both ----
for p in $PLATFORMS; do
  log "building linux/$p"
  started=$(date +%s)
  docker buildx build --builder default --platform "linux/$p" --progress plain \
    --build-arg "NODE_IMAGE=$base" --build-arg "VERSION=$VERSION" \
    --output "type=image,name=$IMAGE-$p,push=true" . >"$data.build-$p.log" 2>&1 \
    || { tail -n 30 "$data.build-$p.log" >&2; rm -f "$data.build-$p.log"; fail "build of linux/$p"; }
  rm -f "$data.build-$p.log"
  local_tags+=("$IMAGE-$p")
  log "linux/$p built and pushed in $(( $(date +%s) - started )) s"
  echo "built and pushed linux/$p"
done
docker buildx imagetools create -t "$IMAGE" "$IMAGE-amd64" "$IMAGE-arm64" >/dev/null 2>&1 || fail "imagetools create of $IMAGE"
echo "pushed $IMAGE: one tag, two platforms"

# ---- the manifest list, as the registry now holds it ----
docker buildx imagetools inspect "$IMAGE" | sed -E "s#$REGISTRY#REGISTRY#; s#sha256:[0-9a-f]{64}#sha256:…#" | grep -E '^(Name|MediaType|Digest| +Platform):' | grep -v 'REGISTRY.*@'

# ---- the arm64 image, pulled and run under emulation ----
docker pull -q --platform linux/arm64 "$IMAGE" >/dev/null || fail "pull of the arm64 image"
local_tags+=("$IMAGE")
arch=$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$IMAGE")
echo "pulled $arch"
chown 1000:1000 "$data" 2>/dev/null || chmod 0777 "$data"
docker run -d --name "$name" --platform linux/arm64 -p 127.0.0.1::3000 -v "$data:/data" "$IMAGE" >/dev/null || fail "docker run of the arm64 image"
port=$(docker port "$name" 3000/tcp | head -n1 | sed 's/.*://')
log "arm64 container $name on 127.0.0.1:$port (data: $data); waiting for /health/ready (emulated: slow)"
deadline=$(( $(date +%s) + 240 )); started=$(date +%s)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)" = 200 ]; do
  [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || { docker logs "$name" 2>&1 | tail -n 20 >&2; fail "the arm64 container stopped"; }
  [ "$(date +%s)" -lt "$deadline" ] || { docker logs "$name" 2>&1 | tail -n 20 >&2; fail "/health/ready did not answer 200 within 240 s"; }
  sleep 1
done
log "ready after $(( $(date +%s) - started )) s"
echo "arm64 container: $(docker exec "$name" node -p 'process.platform + "/" + process.arch'), /health/ready answers 200"
curl -s -o /dev/null -w 'PUT /v1/collections/notes/documents/hello: %{http_code}\n' -X PUT "http://127.0.0.1:$port/v1/collections/notes/documents/hello" \
  -H 'content-type: application/json' -d '{"text":"Hello from arm64"}'
printf 'in the mounted folder: notes/hello.json says %s\n' "$(sed -n 's/.*"text": *"\([^"]*\)".*/\1/p' "$data/notes/hello.json" 2>/dev/null || echo '(missing)')"

# ---- the file-lock addon on arm64: loaded by the C library of the image, and by musl ----
probe='const a={exports:{}};process.dlopen(a,"/app/native/linux-arm64/fs-native-extensions.node");const fd=require("fs").openSync("/tmp/l","w");a.exports.tryLock(fd,0,1,true);a.exports.unlock(fd,0,1);console.log("loaded, and took and released a lock")'
libc=$(docker exec "$name" sh -c '[ -e /lib/ld-musl-aarch64.so.1 ] && echo musl || echo glibc')
echo "lock addon on linux/arm64 ($libc): $(docker exec "$name" node -e "$probe" 2>&1 | tail -n1)"
if [ "$libc" = glibc ]; then
  # The CI stand-in runs glibc; real node:26-alpine runs musl. Debian's arm64 musl loader, run in the
  # arm64 container under qemu, must resolve every C library symbol of the arm64 addon (those left
  # unresolved may only be Node.js's own napi_* and uv_*), as test/native-addon.test.ts does for x64.
  [ -x "$MUSL_LOADER" ] || fail "$MUSL_LOADER is missing (.ci/publish-setup.sh fetches Debian's musl:arm64)"
  listed=$(docker run --rm --platform linux/arm64 --network none -v "$MUSL_LOADER:/musl/ld-musl-aarch64.so.1:ro" \
    --entrypoint /musl/ld-musl-aarch64.so.1 "$IMAGE" --list /app/native/linux-arm64/fs-native-extensions.node 2>&1 || true)
  grep -q 'libc.so.6 => /musl/ld-musl-aarch64.so.1' <<<"$listed" || { echo "$listed" >&2; fail "musl did not stand in for libc.so.6"; }
  others=$(grep -oE 'Error relocating [^:]+: [A-Za-z0-9_]+: symbol not found' <<<"$listed" | awk '{print $4}' | tr -d ':' | grep -vE '^(napi|uv)_' || true)
  node_own=$(grep -cE 'Error relocating [^:]+: (napi|uv)_' <<<"$listed" || true)
  [ "$node_own" -gt 0 ] || { echo "$listed" >&2; fail "the musl check saw no unresolved Node.js symbols at all"; }
  echo "lock addon on linux/arm64 (musl): every C library symbol resolves$([ -z "$others" ] || echo "; MISSING: $(echo $others)")"
  [ -z "$others" ] || fail "musl lacks: $others"
fi
