#!/usr/bin/env bash
# The insight figures at ten million orders (docs/BENCHMARKS.md, "Ten million orders"): seeds the demo city with
# 10,000,000 orders over three years on SQLite and on PostgreSQL (each kept for later runs), then times every measure
# grouping and the ranking (`hotline bench-measures`) and every console page, the manager's included, with the
# hot-topic refresh and a 30-day report (`hotline bench-pages --seeded`).
#   scripts/bench-10m.sh [sqlite|postgres|both]   (default both; ORDERS=… for another size)
# Needs about 30 GB of disk per database and takes about an hour per database on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS=${ORDERS:-10000000}
WHICH=${1:-both}
SQLITE=${SQLITE:-data/seed-$((ORDERS / 1000000))m.sqlite}
swift build -c release --product hotline
bin=.build/release/hotline

seed() { # $@: database options; a database that already holds data is left as it is
  /usr/bin/time -f "seed: %e s wall, %P CPU, %M KB resident" "$bin" seed --demo --orders "$ORDERS" --years 3 "$@"
}

if [ "$WHICH" = sqlite ] || [ "$WHICH" = both ]; then
  seed --sqlite "$SQLITE"
  "$bin" bench-measures --sqlite "$SQLITE"
  "$bin" bench-pages --seeded --sqlite-path "$SQLITE" --repeats 100
fi
if [ "$WHICH" = postgres ] || [ "$WHICH" = both ]; then
  db=seed$((ORDERS / 1000000))m
  url=$(HOTLINE_PGDATA=${HOTLINE_PGDATA:-/tmp/hotline-pg-bench} HOTLINE_PGPORT=${HOTLINE_PGPORT:-54380} HOTLINE_PGDATABASE=$db \
    HOTLINE_PG_SETTINGS="-c shared_buffers=2GB -c max_wal_size=2GB -c checkpoint_timeout=10min -c work_mem=64MB -c maintenance_work_mem=1GB" \
    scripts/postgres.sh start)
  seed --database-url "$url"
  "$bin" bench-measures --database-url "$url"
  "$bin" bench-pages --database-url "$url" --repeats 100
fi
