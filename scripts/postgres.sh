#!/usr/bin/env bash
# Installs (if needed) and starts a throwaway PostgreSQL server on loopback for tests and benchmarks.
#   scripts/postgres.sh start   -> prints the DATABASE_URL to use
#   scripts/postgres.sh stop
#   scripts/postgres.sh free-port FROM TO   -> prints the first loopback port in [FROM, TO) nobody listens on
# HOTLINE_PG_SETTINGS adds server settings, e.g. "-c shared_buffers=4GB" for a benchmark (see docs/BENCHMARKS.md).
set -euo pipefail
PGDATA_DIR=${HOTLINE_PGDATA:-/tmp/hotline-pg}
PGPORT=${HOTLINE_PGPORT:-54329}
DB=${HOTLINE_PGDATABASE:-hotline_test}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    echo "installing PostgreSQL from Debian packages..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
}

case "${1:-start}" in
  start)
    install_postgres
    BIN=$(pg_bin)
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
      mkdir -p "$PGDATA_DIR"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDATA_DIR"
      as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U hotline --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -w -l "$PGDATA_DIR/server.log" \
        -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=1000 ${HOTLINE_PG_SETTINGS:-}" \
        start >/dev/null
    fi
    if ! psql -h 127.0.0.1 -p "$PGPORT" -U hotline -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep 1 >/dev/null; then
      psql -h 127.0.0.1 -p "$PGPORT" -U hotline -d postgres -qc "CREATE DATABASE $DB" >/dev/null
    fi
    echo "postgres://hotline@127.0.0.1:$PGPORT/$DB?sslmode=disable"
    ;;
  free-port)
    python3 - "${2:?first port}" "${3:?end port}" <<'PY'
import socket, sys
for port in range(int(sys.argv[1]), int(sys.argv[2])):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            print(port)
            break
        except OSError:
            pass
PY
    ;;
  stop)
    BIN=$(pg_bin)
    [ -n "$BIN" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2;;
esac
