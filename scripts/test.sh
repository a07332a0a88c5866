#!/usr/bin/env bash
# Runs every test: builds, starts PostgreSQL (installed from Debian's packages if missing),
# runs the command-line smoke tests and the Swift test suite against SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null; then
  echo "swift toolchain not found on PATH" >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3
fi

# A fresh cluster per run, on the first free port from 54329.
export HOTLINE_PGDATA=${HOTLINE_PGDATA:-/tmp/hotline-pg-test-$$}
export HOTLINE_PGPORT=${HOTLINE_PGPORT:-$(scripts/postgres.sh free-port 54329 54400)}
cleanup() {
  scripts/postgres.sh stop
  case "$HOTLINE_PGDATA" in /tmp/hotline-pg-test-*) rm -rf "$HOTLINE_PGDATA";; esac
}
PG_URL=$(scripts/postgres.sh start)
trap cleanup EXIT
export HOTLINE_TEST_POSTGRES_URL="$PG_URL"
export HOTLINE_REQUIRE_POSTGRES=1
echo "PostgreSQL for tests: $PG_URL"

swift build --build-tests 2>&1 | grep -Ev "^\[[0-9]+/[0-9]+\]|unhandled; explicitly declare" || true
swift build --build-tests >/dev/null

smoke_log=$(mktemp)
scripts/smoke.sh "$PG_URL" | tee "$smoke_log"
smoke_passed=$(grep -c '^ok ' "$smoke_log" || true)

# A crash (kill -9) during intake loses no acknowledged order, on SQLite and on PostgreSQL.
durability_dir=$(mktemp -d)
durability_log=$(mktemp)
python3 Tests/durability/kill_during_intake.py .build/debug/hotline --sqlite "$durability_dir/db.sqlite" "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" | tee -a "$durability_log"
durability_db="hotline_durability_$$"
psql "${PG_URL%%\?*}" -qc "DROP DATABASE IF EXISTS $durability_db" -c "CREATE DATABASE $durability_db" >/dev/null
python3 Tests/durability/kill_during_intake.py .build/debug/hotline --database-url "${PG_URL%/*}/$durability_db?sslmode=disable" "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" | tee -a "$durability_log"
psql "${PG_URL%%\?*}" -qc "DROP DATABASE $durability_db" >/dev/null
rm -rf "$durability_dir"
smoke_passed=$((smoke_passed + $(grep -c '^ok durability' "$durability_log" || true)))

# --- scale-out (issue 16), begin: three instances on one PostgreSQL database behind HAProxy (installed from Debian's
# packages if missing): a browser session and an API client through the balancer, an instance killed with SIGKILL
# during intake, leadership of the background services after killing the leader (Tests/scaleout/run.py); then a few
# seconds of the load generator through two instances (the full surge test is scripts/loadtest.sh).
scaleout_log=$(mktemp)
timeout --kill-after=20 240 python3 Tests/scaleout/run.py .build/debug/hotline "$PG_URL" | tee "$scaleout_log" \
  || { echo "tests: the scale-out tests failed (the FAIL scaleout lines above say why)" >&2; exit 1; }
timeout --kill-after=20 180 python3 Tests/scaleout/load.py .build/debug/hotline "$PG_URL" --instances 2 --smoke | tee -a "$scaleout_log" \
  || { echo "tests: the load generator's smoke run failed" >&2; exit 1; }
smoke_passed=$((smoke_passed + $(grep -c '^ok scaleout' "$scaleout_log" || true)))
# --- scale-out, end

# Browser tests: Debian's chromium and chromedriver, CJK fonts, Leaflet for the map (libjs-leaflet), Selenium from PyPI;
# poppler-utils' pdftotext reads printed reports back.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v pdftotext >/dev/null \
   || ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || [ ! -f /usr/share/javascript/leaflet/leaflet.js ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk poppler-utils libjs-leaflet >/dev/null
fi
export HOTLINE_REQUIRE_BROWSER=1
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium || python3 -m pip install -q --break-system-packages selenium
e2e_dir=$(mktemp -d)
e2e_port=$(python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
)
.build/debug/hotline serve --demo --sqlite "$e2e_dir/e2e.sqlite" --port "$e2e_port" --sweep-every 0 > "$e2e_dir/server.log" 2>&1 &
e2e_pid=$!
python3 - "$e2e_port" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/health", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit("the e2e server did not start")
PY
# The walks count notices and queues exactly: the SLA sweeper (tested in the Swift suite) stays off on their server.
e2e_log=$(mktemp)
# Every walk: the closed loop first, then each Tests/e2e/walk_*.py, each with its own screenshot folder.
e2e_status=0
set +e
for walk in Tests/e2e/closed_loop.py Tests/e2e/walk_*.py; do
  [ -f "$walk" ] || continue
  # The citizen portal's walk runs last (below): its order and SMS change no other walk's counts.
  [ "$walk" = Tests/e2e/walk_portal.py ] && continue
  name=$(basename "$walk" .py)
  python3 "$walk" "http://127.0.0.1:$e2e_port" ".build/e2e-screenshots/$name" | tee -a "$e2e_log"
  walk_status=${PIPESTATUS[0]}
  if [ "$walk_status" -ne 0 ]; then e2e_status=$walk_status; echo "browser walk failed: $walk" >&2; fi
done
# The citizen portal (市民门户): the one-time codes go out through the SMS gateway's outbox to a test SMS receiver on
# loopback (Tests/e2e/sms_receiver.py), which the walk points the platform's SMS gateway at and reads the codes from.
sms_port=$(python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
)
python3 Tests/e2e/sms_receiver.py "$sms_port" > "$e2e_dir/sms.log" 2>&1 &
sms_pid=$!
export HOTLINE_TEST_SMS_URL="http://127.0.0.1:$sms_port"
python3 Tests/e2e/walk_portal.py "http://127.0.0.1:$e2e_port" ".build/e2e-screenshots/walk_portal" | tee -a "$e2e_log"
walk_status=${PIPESTATUS[0]}
if [ "$walk_status" -ne 0 ]; then e2e_status=$walk_status; echo "browser walk failed: Tests/e2e/walk_portal.py" >&2; fi
kill "$sms_pid" 2>/dev/null || true
# Open311 GeoReport v2 against the same server, after the walks (its new orders change no walk's counts): JSON Schemas
# (jsonschema), every XML answer against its JSON, and the PyPI georeport client (which needs xmltodict and requests).
for package in jsonschema georeport xmltodict requests; do
  python3 -c "import $package" 2>/dev/null || python3 -m pip install -q "$package" || python3 -m pip install -q --break-system-packages "$package"
done
python3 Tests/open311/check_open311.py "http://127.0.0.1:$e2e_port" | tee -a "$e2e_log"
open311_status=${PIPESTATUS[0]}
if [ "$open311_status" -ne 0 ]; then e2e_status=$open311_status; echo "the Open311 check failed" >&2; fi
set -e
kill "$e2e_pid" 2>/dev/null || true
if [ "$e2e_status" -ne 0 ]; then
  echo "tests: the browser test failed (server log: $e2e_dir/server.log)" >&2
  exit "$e2e_status"
fi
e2e_passed=$(grep -cE '^ok (closed loop|walk|open311)' "$e2e_log" || true)
echo "browser screenshots: .build/e2e-screenshots"

test_log=$(mktemp)
set +e
# A test that waits forever must fail the run, not hold it: the suite gets a bound, and a run that hits it names the
# tests that started and never finished.
# The suite is Swift Testing only; its binary runs at most 16 tests at once (HOTLINE_TEST_WIDTH). Unbounded, all ~670
# start together on the two cores, every await waits behind hundreds of others, and a test whose concurrent requests
# queue behind one transaction's row locks can wait out the connection pool's 30 s; bounded, the suite also finishes
# sooner (about 330 s here against 550-640 s).
test_binary="$(swift build --show-bin-path)/hotlinePackageTests.xctest"
NO_COLOR=1 timeout --kill-after=30 "${HOTLINE_SWIFT_TEST_SECONDS:-1500}" "$test_binary" --testing-library swift-testing \
  --experimental-maximum-parallelization-width "${HOTLINE_TEST_WIDTH:-16}" 2>&1 | tee "$test_log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "tests: swift test did not finish within ${HOTLINE_SWIFT_TEST_SECONDS:-1500} s; still running:" >&2
  python3 - "$test_log" <<'PY' >&2
import re, sys
started, ended = [], set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^\S+ Test (\w+)\(.*\) started\.", line)
    if m: started.append(m.group(1))
    m = re.match(r"^\S+ Test (\w+)\(.*\) (?:with \d+ test cases? )?(?:passed|failed)", line)
    if m: ended.add(m.group(1))
for name in dict.fromkeys(started):
    if name not in ended: print("  " + name)
PY
fi
if [ "$status" -ne 0 ]; then
  echo "tests: swift test failed" >&2
  exit "$status"
fi
cases=$(grep -oE 'Test run with [0-9]+ tests?' "$test_log" | grep -oE '[0-9]+' | tail -n 1)
echo "tests: $((cases + smoke_passed + e2e_passed)) passed, 0 failed"
