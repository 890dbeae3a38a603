#!/usr/bin/env bash
# A private registry on this machine's loopback: Debian's `docker-registry` (CNCF distribution 2.8),
# with its own config and storage in a temp folder. Used by docs/docker.md ("Registries"), by
# scripts/publish-local.sh and by their tests.
#
# Usage:
#   scripts/local-registry.sh start NAME [USER:PASSWORD]   prints the address, e.g. 127.0.0.1:41234
#   scripts/local-registry.sh stop NAME                    stops it and removes its folder
#
# With USER:PASSWORD the registry asks for a login (an htpasswd file, bcrypt, made by Apache's
# `htpasswd`). A plain-HTTP registry is allowed only on 127.0.0.0/8, which dockerd trusts by default
# (`docker info` lists it under "Insecure Registries"); anywhere else it needs TLS.
# State: ${TMPDIR:-/tmp}/NAME/ (config.yml, data/, htpasswd, pid, address, log).
set -euo pipefail

cmd=${1:-}; name=${2:-}
[ -n "$cmd" ] && [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || { echo "usage: $0 start|stop NAME [USER:PASSWORD]" >&2; exit 2; }
dir=${TMPDIR:-/tmp}/$name

stop() {
  [ -d "$dir" ] || return 0
  local pid
  pid=$(cat "$dir/pid" 2>/dev/null || true)
  # only the registry this script started: its pid file and its command line must agree
  if [ -n "$pid" ] && grep -qa "$dir/config.yml" "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

start() {
  command -v docker-registry >/dev/null || { echo "docker-registry is missing: apt-get install docker-registry (.ci/publish-setup.sh does)" >&2; exit 1; }
  stop
  mkdir -p "$dir/data"
  local port auth=""
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  if [ -n "${1:-}" ]; then
    command -v htpasswd >/dev/null || { echo "htpasswd is missing: apt-get install apache2-utils" >&2; exit 1; }
    htpasswd -Bbn "${1%%:*}" "${1#*:}" >"$dir/htpasswd" 2>/dev/null
    auth=$(printf 'auth:\n  htpasswd:\n    realm: %s\n    path: %s/htpasswd\n' "$name" "$dir")
  fi
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
$auth
EOF
  setsid docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  # Ready when /v2/ answers at all (200 open, 401 with a login); 30 s for a busy machine.
  local code=000
  for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    [ "$code" = 200 ] || [ "$code" = 401 ] && break
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$code" != 200 ] && [ "$code" != 401 ]; then
    echo "the registry did not answer on 127.0.0.1:$port (last status $code); its log:" >&2
    tail -n 5 "$dir/log" >&2
    stop; exit 1
  fi
  echo "127.0.0.1:$port" >"$dir/address"
  echo "127.0.0.1:$port"
}

case "$cmd" in
  start) start "${3:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop NAME [USER:PASSWORD]" >&2; exit 2 ;;
esac
