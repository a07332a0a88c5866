#!/usr/bin/env bash
# Runs the platform on an embedded SQLite database (./data/hotline.sqlite) with the demo city 江州市.
# Builds first; seeds demo data only when the database is empty; prints the URL and demo logins.
# Extra arguments go to `hotline serve` (e.g. --port 9000, or --database-url postgres://...).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null; then
  echo "swift toolchain not found on PATH" >&2
  exit 1
fi
swift build -c release --product hotline 2>&1 | grep -Ev "^\[[0-9]+/[0-9]+\]|unhandled; explicitly declare" || true
swift build -c release --product hotline >/dev/null
exec .build/release/hotline serve --demo "$@"
