#!/usr/bin/env bash
# What the registry walkthrough (docs/docker.md) and the local multi-arch publish
# (scripts/publish-local.sh) need on a fresh Debian 12 machine; idempotent, cached.
#   - docker-registry (CNCF distribution 2.8) and apache2-utils (htpasswd, bcrypt) from Debian;
#   - qemu-user-static, and its aarch64 entry in binfmt_misc (mounted if it is not: machines without
#     systemd do not mount it), with the F flag, so arm64 binaries run inside containers too;
#   - Debian's musl for arm64 (its loader only, unpacked into the cache; the machine's dpkg is not
#     told about arm64), to check the lock addon against arm64 musl.
set -euo pipefail
CACHE_DIR=${JSONDOCK_CI_CACHE:-/var/cache/jsondock-ci}
export DEBIAN_FRONTEND=noninteractive
log() { printf '[publish-setup] %s\n' "$*" >&2; }
die() { printf '[publish-setup] ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
[ -x /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } </dev/null >/tmp/jsondock-publish-apt.log 2>&1 \
    || { tail -n 5 /tmp/jsondock-publish-apt.log >&2; die "apt-get install ${missing[*]} failed"; }
fi
# The package may have started a registry on :5000 through systemd; the suites start their own.

if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc"
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  cat /usr/lib/binfmt.d/qemu-aarch64.conf >/proc/sys/fs/binfmt_misc/register || die "cannot register qemu-aarch64 in binfmt_misc"
fi
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || die "qemu-aarch64 is registered without the F flag: containers cannot use it"
log "arm64 emulation: $(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64), $(sed -n 's/^interpreter //p' /proc/sys/fs/binfmt_misc/qemu-aarch64)"

musl=$CACHE_DIR/musl-arm64
if [ ! -x "$musl/lib/ld-musl-aarch64.so.1" ]; then
  log "fetching Debian's musl (arm64)"
  t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
  mkdir -p "$t/lists/partial" "$t/dl"
  o=(-o "Dir::State::Lists=$t/lists" -o "Dir::State::status=/dev/null" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
     -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64" -o "APT::Sandbox::User=root")
  apt-get "${o[@]}" update -qq >"$t/log" 2>&1 || { cat "$t/log" >&2; die "apt-get update (arm64 lists) failed"; }
  (cd "$t/dl" && apt-get "${o[@]}" download musl) >"$t/log" 2>&1 || { cat "$t/log" >&2; die "apt-get download musl:arm64 failed"; }
  rm -rf "$musl"; mkdir -p "$musl"
  dpkg-deb -x "$t"/dl/musl_*_arm64.deb "$musl"
  [ -x "$musl/lib/ld-musl-aarch64.so.1" ] || die "musl:arm64 has no /lib/ld-musl-aarch64.so.1"
fi
log "ready: docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}'), musl arm64 loader in $musl"
