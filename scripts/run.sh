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
# The map (地图) draws with Leaflet from Debian's libjs-leaflet; without it the map page says so and shows its tables.
if [ ! -f /usr/share/javascript/leaflet/leaflet.js ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjs-leaflet >/dev/null 2>&1 || echo "libjs-leaflet not installed: the map page will show its tables only" >&2
fi
swift build -c release --product hotline 2>&1 | grep -Ev "^\[[0-9]+/[0-9]+\]|unhandled; explicitly declare" || true
swift build -c release --product hotline >/dev/null
exec .build/release/hotline serve --demo "$@"
