#!/usr/bin/env bash
# Prerequisites of the power-loss and syscall-order suites (test/reliability/power-loss.test.ts,
# syscall-order.test.ts): strace (Debian), and LazyFS built from the source in shared/lazyfs
# with its offline build script (which apt-installs its own build dependencies).
#
# The build is cached by content: its folder is named after the SHA-256 of the build script,
# the source tarball and the patch, so it is built once per machine (and again only when one
# of them changes). Idempotent; safe to run from two processes at once (flock).
# Prints the path of the lazyfs binary on stdout; progress goes to stderr.
#
# Environment (all optional):
#   JSONDOCK_LAZYFS_SRC  folder holding build.sh and the source (default: ../shared/lazyfs beside
#                        the checkout, else /work/shared/lazyfs)
#   JSONDOCK_CI_CACHE    cache folder (default /var/cache/jsondock-ci)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[lazyfs-setup] %s\n' "$*" >&2; }
die() { printf '[lazyfs-setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (apt-get, and LazyFS mounts need root and /dev/fuse)"
export DEBIAN_FRONTEND=noninteractive

# strace for the syscall-order suite; fuse3 to mount LazyFS; the rest are LazyFS's build
# dependencies (the list of build.sh, installed here so that a dpkg lock held by another
# apt-get is waited for rather than fatal).
pkgs=(strace fuse3 g++ cmake make libfuse3-dev libtoml11-dev libspdlog-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  apt=(apt-get -q -o DPkg::Lock::Timeout=300)
  { "${apt[@]}" update && "${apt[@]}" install -y "${missing[@]}"; } >/dev/null || die "cannot install ${missing[*]}"
fi

src=${JSONDOCK_LAZYFS_SRC:-}
if [ -z "$src" ]; then
  for candidate in "$root/../shared/lazyfs" /work/shared/lazyfs; do
    if [ -f "$candidate/build.sh" ]; then src=$candidate; break; fi
  done
fi
[ -n "$src" ] && [ -f "$src/build.sh" ] || die "no LazyFS source (shared/lazyfs/build.sh); set JSONDOCK_LAZYFS_SRC"
src=$(cd "$src" && pwd)

cache=${JSONDOCK_CI_CACHE:-/var/cache/jsondock-ci}
key=$(cat "$src/build.sh" "$src"/lazyfs-*.tar.gz "$src/offline-deps.patch" | sha256sum | cut -c1-16)
dest=$cache/lazyfs-$key
bin=$dest/lazyfs/build/lazyfs
mkdir -p "$cache"

exec 9>"$cache/lazyfs.lock"
flock 9
# build.sh itself reuses a build whose binary links (and apt-installs the runtime libraries, fuse3, when missing).
if [[ -x $bin ]] && ! ldd "$bin" | grep -q 'not found'; then
  log "cached: $bin"
else
  log "building LazyFS from $src into $dest (about 35 s to 2 min)"
  LAZYFS_BUILD=$dest bash "$src/build.sh" >/dev/null || die "LazyFS build failed"
fi
[ -x "$bin" ] || die "no binary at $bin after the build"
echo "$bin"
