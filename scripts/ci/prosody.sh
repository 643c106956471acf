#!/usr/bin/env bash
# Prosody for the FlexCoop.Xmpp integration tests.
#
#   scripts/ci/prosody.sh [start]   install (Debian prosody, prosody-modules) if missing, make a CA,
#                                   server and client certificates with openssl, write the config
#                                   shipped in tests/FlexCoop.Xmpp.Tests/prosody/, pick a free
#                                   loopback port, start Prosody, register the test accounts and
#                                   write the env file the tests read.
#   scripts/ci/prosody.sh restart   stop and start the same server again (same port, same accounts)
#   scripts/ci/prosody.sh stop      stop it
#
# State lives in $FLEXCOOP_PROSODY_STATE (default /tmp/flexcoop-prosody); the env file is
# $FLEXCOOP_PROSODY_ENV (default /tmp/flexcoop-prosody.env). Tests find it through
# FLEXCOOP_TEST_XMPP_ENV. Prints nothing on success.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
state="${FLEXCOOP_PROSODY_STATE:-/tmp/flexcoop-prosody}"
envfile="${FLEXCOOP_PROSODY_ENV:-/tmp/flexcoop-prosody.env}"
template="$repo/tests/FlexCoop.Xmpp.Tests/prosody/prosody.cfg.lua"
cfg="$state/prosody.cfg.lua"
domain="localhost"
extdomain="external.localhost"

die() { echo "prosody.sh: $*" >&2; exit 1; }

install() {
  if ! command -v prosody >/dev/null 2>&1 || ! dpkg -s prosody-modules >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends prosody prosody-modules >/dev/null 2>&1 \
      || die "apt-get install prosody prosody-modules failed"
  fi
  # The Debian package starts its own system instance; it is not used by the tests.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop prosody >/dev/null 2>&1 || true; fi
  if [ -x /etc/init.d/prosody ]; then /etc/init.d/prosody stop >/dev/null 2>&1 || true; fi
}

free_port() {
  # Ask the kernel for a free loopback port.
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

certificates() {
  [ -f "$state/ca.crt" ] && return 0
  local d="$state"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=FlexCoop test CA" \
    -keyout "$d/ca.key" -out "$d/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$domain" -keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:%s,DNS:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$domain" "$extdomain" > "$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -extfile "$d/server.ext" -out "$d/server.crt" >/dev/null 2>&1
  # Client certificate for SASL EXTERNAL: id-on-xmppAddr (1.3.6.1.5.5.7.8.5) names the account.
  openssl req -newkey rsa:2048 -nodes -subj "/CN=ven1" -keyout "$d/client.key" -out "$d/client.csr" >/dev/null 2>&1
  printf 'subjectAltName=otherName:1.3.6.1.5.5.7.8.5;UTF8:ven1@%s\nextendedKeyUsage=clientAuth,serverAuth\nbasicConstraints=CA:FALSE\n' "$extdomain" > "$d/client.ext"
  openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -extfile "$d/client.ext" -out "$d/client.crt" >/dev/null 2>&1
  chmod 644 "$d"/*.key
}

running() { [ -f "$state/run.pid" ] && kill -0 "$(cat "$state/run.pid")" 2>/dev/null; }

launch() {
  local port="$1"
  sed -e "s#@STATE@#$state#g" -e "s#@PORT@#$port#g" "$template" > "$cfg"
  # One descriptor per client session: the load driver opens 10,000 of them (bench/FlexCoop.OpenAdr.LoadDriver).
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  setsid prosody -F --config "$cfg" >"$state/stdout.log" 2>&1 < /dev/null &
  echo $! > "$state/run.pid"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    running || die "prosody exited; see $state/prosody.log and $state/stdout.log"
    sleep 0.1
  done
  die "prosody did not listen on 127.0.0.1:$port"
}

stop() {
  if running; then
    local pid; pid="$(cat "$state/run.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$state/run.pid"
}

register() {
  prosodyctl --config "$cfg" register "$1" "$domain" "$2" >/dev/null 2>&1 || die "cannot register $1@$domain"
}

start() {
  install
  mkdir -p "$state/data" "$state/certs"
  chmod 755 "$state"
  stop
  certificates
  local port; port="$(free_port)"
  launch "$port"
  register alice alice-secret
  register bob bob-secret
  register carol carol-secret
  cat > "$envfile" <<ENV
FLEXCOOP_TEST_XMPP_HOST=127.0.0.1
FLEXCOOP_TEST_XMPP_PORT=$port
FLEXCOOP_TEST_XMPP_DOMAIN=$domain
FLEXCOOP_TEST_XMPP_CA=$state/ca.crt
FLEXCOOP_TEST_XMPP_USER1=alice
FLEXCOOP_TEST_XMPP_PASSWORD1=alice-secret
FLEXCOOP_TEST_XMPP_USER2=bob
FLEXCOOP_TEST_XMPP_PASSWORD2=bob-secret
FLEXCOOP_TEST_XMPP_USER3=carol
FLEXCOOP_TEST_XMPP_PASSWORD3=carol-secret
FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN=$extdomain
FLEXCOOP_TEST_XMPP_EXTERNAL_CERT=$state/client.crt
FLEXCOOP_TEST_XMPP_EXTERNAL_KEY=$state/client.key
FLEXCOOP_TEST_XMPP_EXTERNAL_USER=ven1
FLEXCOOP_TEST_XMPP_RESTART=$here/prosody.sh restart
FLEXCOOP_TEST_XMPP_PID_FILE=$state/run.pid
ENV
}

restart() {
  [ -f "$envfile" ] || die "not started ($envfile missing)"
  local port; port="$(sed -n 's/^FLEXCOOP_TEST_XMPP_PORT=//p' "$envfile")"
  stop
  launch "$port"
}

case "${1:-start}" in
  start) start ;;
  restart) restart ;;
  stop) stop ;;
  *) die "usage: $0 [start|restart|stop]" ;;
esac
