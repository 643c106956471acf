#!/usr/bin/env bash
# Mosquitto for the reference system's multi-node tests (the MQTT bus).
#
#   scripts/ci/mosquitto.sh [start]   install Debian's mosquitto if missing, pick a free loopback
#                                     port, start a broker on it (anonymous, loopback only) and
#                                     write the env file the tests read
#   scripts/ci/mosquitto.sh stop      stop it
#
# State lives in $FLEXCOOP_MOSQUITTO_STATE (default /tmp/flexcoop-mosquitto); the env file is
# $FLEXCOOP_MOSQUITTO_ENV (default /tmp/flexcoop-mosquitto.env) and holds
# FLEXCOOP_TEST_MQTT=mqtt://127.0.0.1:PORT. Prints nothing on success.
set -euo pipefail

state="${FLEXCOOP_MOSQUITTO_STATE:-/tmp/flexcoop-mosquitto}"
envfile="${FLEXCOOP_MOSQUITTO_ENV:-/tmp/flexcoop-mosquitto.env}"

die() { echo "mosquitto.sh: $*" >&2; exit 1; }

install() {
  if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends mosquitto >/dev/null 2>&1 \
      || die "apt-get install mosquitto failed"
  fi
  # The Debian package may start its own system broker on 1883; the tests do not use it.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop mosquitto >/dev/null 2>&1 || true; fi
  if [ -x /etc/init.d/mosquitto ]; then /etc/init.d/mosquitto stop >/dev/null 2>&1 || true; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

stop() {
  if [ -f "$state/mosquitto.pid" ]; then
    kill "$(cat "$state/mosquitto.pid")" >/dev/null 2>&1 || true
    rm -f "$state/mosquitto.pid"
  fi
}

start() {
  install
  stop
  mkdir -p "$state"
  chmod 777 "$state"
  local port bin
  port=$(free_port)
  bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  cat > "$state/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
pid_file $state/mosquitto.pid
log_dest file $state/mosquitto.log
max_inflight_messages 1000
max_queued_messages 100000
CONF
  "$bin" -c "$state/mosquitto.conf" -d || die "mosquitto did not start (see $state/mosquitto.log)"
  for _ in $(seq 1 50); do
    if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))"; then
      echo "FLEXCOOP_TEST_MQTT=mqtt://127.0.0.1:$port" > "$envfile"
      return 0
    fi
    sleep 0.1
  done
  die "mosquitto is not listening on 127.0.0.1:$port (see $state/mosquitto.log)"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: $0 [start|stop]" ;;
esac
