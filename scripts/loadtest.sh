#!/usr/bin/env bash
# The surge load test (issue 16): 1, 2 and 3 `hotline serve` instances behind HAProxy on one PostgreSQL, side by side
# in one run — a fixed rate of ten times a big city's average (7 intakes/s plus reads, 60 s), then the machine's limit
# (closed loop, 30 s) — and afterwards every acknowledged order checked and verify-log run. See Tests/scaleout/load.py.
#
#   scripts/loadtest.sh [BINARY] [load.py options, e.g. --instances 1,3 --rate-seconds 30 --json figures.json]
#
# BINARY defaults to .build/release/hotline; nothing is built here (swift build -c release first). PostgreSQL: a
# throwaway cluster from scripts/postgres.sh in $HOTLINE_PGDATA on $HOTLINE_PGPORT (defaults: a fresh directory under
# /tmp and the first free port from 54380), stopped and removed afterwards unless you named the directory yourself.
# HAProxy is installed from Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=.build/release/hotline
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then binary=$1; shift; fi
if [ ! -x "$binary" ]; then
  echo "no hotline binary at $binary (build one with: swift build -c release)" >&2
  exit 1
fi

own_pgdata=0
if [ -z "${HOTLINE_PGDATA:-}" ]; then
  export HOTLINE_PGDATA=/tmp/hotline-pg-load-$$
  own_pgdata=1
fi
export HOTLINE_PGPORT=${HOTLINE_PGPORT:-$(scripts/postgres.sh free-port 54380 54480)}
cleanup() {
  if [ "$own_pgdata" = 1 ]; then
    scripts/postgres.sh stop
    rm -rf "$HOTLINE_PGDATA"
  fi
}
PG_URL=$(scripts/postgres.sh start)
trap cleanup EXIT
echo "PostgreSQL for the load test: $PG_URL"
echo "binary: $binary ($(file -b "$binary" 2>/dev/null | cut -d, -f1-2 || true))"
python3 Tests/scaleout/load.py "$binary" "$PG_URL" "$@"
