#!/usr/bin/env bash
# Make a working Docker engine + Compose v2 + buildx available on a Debian 12 CI/dev VM.
#
# Usage:
#   .ci/docker-setup.sh            # set up (idempotent; does nothing when all is already there)
#   .ci/docker-setup.sh teardown   # stop the dockerd that THIS script started (pid file), if any
#
# See /work/shared/docker-ci.md (sections 1 and 2). In short:
#   - the engine comes from Debian's docker.io (20.10) and is started with setsid only when
#     `docker info` fails; the pid we started is written to $JSONDOCK_DOCKERD_PID_FILE so a
#     teardown stops only that process;
#   - bookworm only packages Compose v1, so Compose v2 and buildx are fetched from Debian trixie
#     with `apt-get download` using temporary apt dirs (the machine's apt sources are never
#     changed) and installed as CLI plugins. The .debs are cached for fast reruns.
#
# Environment (all optional):
#   JSONDOCK_CI_CACHE          cache dir for downloaded .debs   (default /var/cache/jsondock-ci)
#   JSONDOCK_DOCKERD_PID_FILE  pid file of the dockerd we start (default /tmp/jsondock-dockerd.pid)
#   JSONDOCK_DOCKERD_LOG       dockerd log file                 (default /tmp/jsondock-dockerd.log)
#   JSONDOCK_DOCKERD_TIMEOUT   seconds to wait for the engine   (default 60)
set -euo pipefail

CACHE_DIR=${JSONDOCK_CI_CACHE:-/var/cache/jsondock-ci}
PID_FILE=${JSONDOCK_DOCKERD_PID_FILE:-/tmp/jsondock-dockerd.pid}
LOG_FILE=${JSONDOCK_DOCKERD_LOG:-/tmp/jsondock-dockerd.log}
START_TIMEOUT=${JSONDOCK_DOCKERD_TIMEOUT:-60}
PLUGIN_DIR=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
export DEBIAN_FRONTEND=noninteractive

log() { printf '[docker-setup] %s\n' "$*" >&2; }
die() { printf '[docker-setup] ERROR: %s\n' "$*" >&2; exit 1; }

TMP_DIRS=()
cleanup() { local t; for t in "${TMP_DIRS[@]}"; do rm -rf "$t"; done; }
trap cleanup EXIT

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root for: $*"; fi
}

docker_ok() { command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; }

# pid of a live dockerd process, or nothing
is_dockerd_pid() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}

# ---------------------------------------------------------------------------------------------
# engine
# ---------------------------------------------------------------------------------------------
ensure_engine() {
  if docker_ok; then
    log "engine: already running ($(docker info --format '{{.ServerVersion}}' 2>/dev/null || echo '?')), nothing to do"
    return 0
  fi

  if ! command -v dockerd >/dev/null 2>&1; then
    log "engine: dockerd missing, installing docker.io via apt"
    as_root apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed (needed to install docker.io)"
    as_root apt-get install -y -qq --no-install-recommends docker.io </dev/null >/tmp/jsondock-apt-docker.io.log 2>&1 \
      || die "apt-get install docker.io failed, see /tmp/jsondock-apt-docker.io.log"
    command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd not found on PATH"
  fi
  command -v docker >/dev/null 2>&1 || die "docker client not found on PATH"

  # A dockerd that is alive but not (yet) answering: do not start a second one on the same socket.
  local pid
  if pid=$(pgrep -x dockerd 2>/dev/null | head -n1) && [ -n "$pid" ]; then
    log "engine: a dockerd (pid $pid) already runs but does not answer yet; waiting for it (not ours, no pid file)"
  else
    log "engine: starting dockerd (log: $LOG_FILE)"
    # Not a process-group leader inside a non-interactive script, so setsid execs dockerd in place
    # and $! is dockerd's own pid (re-checked against /var/run/docker.pid below).
    setsid dockerd >"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
  fi

  local waited=0
  until docker_ok; do
    if [ -f "$PID_FILE" ] && [ "$(cat "$PID_FILE")" = "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 5 "$LOG_FILE" 2>/dev/null | sed 's/^/[docker-setup]   dockerd: /' >&2 || true
      die "dockerd exited during startup, see $LOG_FILE"
    fi
    if [ "$waited" -ge "$START_TIMEOUT" ]; then
      die "docker info still fails after ${START_TIMEOUT}s (dockerd pid $pid kept running; see $LOG_FILE; stop it with '$0 teardown')"
    fi
    sleep 1; waited=$((waited + 1))
  done

  # Make sure the pid file names the real dockerd (in case setsid had to fork).
  if [ -f "$PID_FILE" ] && ! is_dockerd_pid "$(cat "$PID_FILE")"; then
    local real
    real=$(cat /var/run/docker.pid 2>/dev/null || true)
    if is_dockerd_pid "$real"; then echo "$real" >"$PID_FILE"; fi
  fi
  log "engine: up after ${waited}s ($(docker info --format '{{.ServerVersion}}' 2>/dev/null)), pid $(cat "$PID_FILE" 2>/dev/null || echo "$pid") -> $PID_FILE"
}

# ---------------------------------------------------------------------------------------------
# Compose v2 + buildx
# ---------------------------------------------------------------------------------------------
compose_ok() { docker compose version --short 2>/dev/null | grep -Eq '^v?2\.'; }
buildx_ok()  { docker buildx version >/dev/null 2>&1; }

# Writes a deb822 trixie source for the machine's own Debian mirror (security stanza dropped).
write_trixie_source() {
  local out=$1
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/bookworm-updates/trixie/; s/bookworm/trixie/' /etc/apt/sources.list.d/debian.sources \
      | awk 'BEGIN{RS="";ORS="\n\n"} !/security/' >"$out"
  fi
  if ! grep -q '^Suites:.*trixie' "$out" 2>/dev/null; then
    # one-line sources.list or nothing usable: take the first non-security bookworm mirror
    local uri
    uri=$(grep -hE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | grep -v security | grep bookworm | awk '{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | head -n1)
    printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "${uri:-http://deb.debian.org/debian}" >"$out"
  fi
}

fetch_plugin_debs() {
  local debdir=$CACHE_DIR/debs
  as_root mkdir -p "$debdir"
  if ls "$debdir"/docker-compose_*.deb >/dev/null 2>&1 && ls "$debdir"/docker-buildx_*.deb >/dev/null 2>&1; then
    log "plugins: using cached .debs in $debdir"
    return 0
  fi
  local d
  d=$(mktemp -d /tmp/jsondock-apt.XXXXXX); TMP_DIRS+=("$d")
  mkdir -p "$d/parts" "$d/lists/partial" "$d/dl"
  write_trixie_source "$d/parts/trixie.sources"
  local o=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$d/parts"
           -o "Dir::State::Lists=$d/lists" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
           -o "APT::Sandbox::User=root")
  log "plugins: fetching docker-compose + docker-buildx from Debian trixie (temporary apt dirs)"
  apt-get "${o[@]}" update -qq >"$d/update.log" 2>&1 \
    || { cat "$d/update.log" >&2; die "apt-get update for the temporary trixie source failed"; }
  (cd "$d/dl" && apt-get "${o[@]}" download docker-compose docker-buildx) >"$d/download.log" 2>&1 \
    || { cat "$d/download.log" >&2; die "apt-get download docker-compose docker-buildx (trixie) failed"; }
  rm -f "$debdir"/docker-compose_*.deb "$debdir"/docker-buildx_*.deb
  as_root cp "$d"/dl/*.deb "$debdir"/
}

ensure_plugins() {
  if compose_ok && buildx_ok; then
    log "plugins: compose $(docker compose version --short 2>/dev/null), buildx $(docker buildx version 2>/dev/null | awk '{print $2}') already present"
    return 0
  fi
  command -v dpkg >/dev/null 2>&1 || die "dpkg not found (needed to unpack the plugin .debs)"
  fetch_plugin_debs
  local x
  x=$(mktemp -d /tmp/jsondock-plugins.XXXXXX); TMP_DIRS+=("$x")
  local p
  for p in "$CACHE_DIR"/debs/docker-compose_*.deb "$CACHE_DIR"/debs/docker-buildx_*.deb; do
    dpkg -x "$p" "$x" || die "cannot unpack $p"
  done
  mkdir -p "$PLUGIN_DIR"
  local f n=0
  for f in "$x"/usr/libexec/docker/cli-plugins/docker-*; do
    [ -f "$f" ] || continue
    install -m 0755 "$f" "$PLUGIN_DIR/$(basename "$f")"
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || die "no CLI plugins found in the trixie .debs"
  compose_ok || die "docker compose still not v2 after installing into $PLUGIN_DIR ($(docker compose version 2>&1 | head -n1))"
  buildx_ok  || die "docker buildx still fails after installing into $PLUGIN_DIR ($(docker buildx version 2>&1 | head -n1))"
  log "plugins: installed compose $(docker compose version --short), buildx $(docker buildx version | awk '{print $2}') into $PLUGIN_DIR"
}

# ---------------------------------------------------------------------------------------------
# teardown: stop only the dockerd recorded in the pid file
# ---------------------------------------------------------------------------------------------
teardown() {
  if [ ! -f "$PID_FILE" ]; then
    log "teardown: no $PID_FILE, this script started no dockerd; nothing to stop"
    return 0
  fi
  local pid
  pid=$(cat "$PID_FILE")
  if ! is_dockerd_pid "$pid"; then
    log "teardown: pid '$pid' from $PID_FILE is not a running dockerd; removing stale pid file"
    rm -f "$PID_FILE"
    return 0
  fi
  log "teardown: stopping dockerd pid $pid (SIGTERM)"
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 60 ]; then
      log "teardown: dockerd $pid still alive after 60s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 1; waited=$((waited + 1))
  done
  kill -0 "$pid" 2>/dev/null && die "dockerd $pid did not exit"
  rm -f "$PID_FILE"
  log "teardown: dockerd $pid stopped after ${waited}s"
}

case "${1:-setup}" in
  setup|"")   ensure_engine; ensure_plugins; log "ready: $(docker version --format 'client {{.Client.Version}}, engine {{.Server.Version}}' 2>/dev/null)" ;;
  teardown)   teardown ;;
  -h|--help)  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)          die "unknown mode '$1' (use: setup | teardown)" ;;
esac
