#!/usr/bin/env bash
# Command-line smoke tests of the built `hotline` binary on SQLite and, given a URL, PostgreSQL:
# calendar answers, Erlang C staffing, demo seeding, `verify-log` catching a tampered event and refusing a missing file, the
# backup and restore drill, signed checkpoints, and the text models on the real data
# in ../shared/data (the issue's targets as floors, so that a regression fails).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/debug/hotline
PG_URL=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { echo "ok $1"; }
fail() { echo "not ok $1: $2" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] && pass "$1" || fail "$1" "expected [$3], got [$2]"; }
# Whether the input has a line matching $1. Unlike `grep -q`, it reads all of its input: under pipefail, a writer cut
# off by an early exit dies of SIGPIPE and fails the pipeline although the line was there.
contains() { grep -- "$1" >/dev/null; }

expect_eq "calendar workdays around the 2025 Spring Festival" \
  "$($BIN calendar workdays --from 2025-01-25 --to 2025-02-09 | tr '\n' ' ')" \
  "2025-01-26 2025-01-27 2025-02-05 2025-02-06 2025-02-07 2025-02-08 "
expect_eq "calendar deadline in working days" \
  "$($BIN calendar deadline --start 2025-01-27T10:00:00+08:00 --working-days 3)" "2025-02-07T23:59:59+08:00"
expect_eq "calendar deadline in working hours" \
  "$($BIN calendar deadline --start 2025-01-27T17:00:00+08:00 --working-hours 2)" "2025-02-05T10:00:00+08:00"
# A year without an official schedule: statutory holidays only, and "provisional" on stderr (stdout stays the answer).
expect_eq "calendar deadline across the provisional 2027 Spring Festival" \
  "$($BIN calendar deadline --start 2027-02-04T10:00:00+08:00 --working-days 3 2>"$work/provisional.err")" "2027-02-11T23:59:59+08:00"
grep -q '^provisional (临时): .*2027' "$work/provisional.err" && pass "calendar deadline says provisional on stderr" \
  || fail "provisional stderr" "$(cat "$work/provisional.err")"
$BIN calendar workdays --from 2027-02-04 --to 2027-02-10 2>"$work/provisional.err" >/dev/null
grep -q '^provisional (临时): .*2027' "$work/provisional.err" && pass "calendar workdays says provisional on stderr" \
  || fail "provisional stderr" "$(cat "$work/provisional.err")"
$BIN calendar workdays --from 2025-01-25 --to 2025-02-09 2>"$work/official.err" >/dev/null
[ ! -s "$work/official.err" ] && pass "an official year prints nothing on stderr" || fail "official stderr" "$(cat "$work/official.err")"
if $BIN calendar deadline --start yesterday --working-days 1 >/dev/null 2>&1; then fail "bad start" "accepted"; else pass "calendar refuses a malformed start"; fi

# Staffing: Call Centre Helper's Erlang C worked example (100 calls in 30 minutes, AHT 180 s, 80/20, 30% shrinkage).
expect_eq "staffing answers the published Erlang C example as JSON" \
  "$($BIN staffing --calls 100 --aht 180 --interval-minutes 30 --service-level 0.8 --answer-seconds 20 --shrinkage 0.3 --json)" \
  '{"agents":14,"average_speed_of_answer":7.836,"probability_of_waiting":0.174132,"scheduled_agents":20,"service_level":0.88835}'
$BIN staffing --calls 100 --aht 180 --shrinkage 0.3 | contains '^排班人数：20 人' && pass "staffing prints Chinese-labelled lines" \
  || fail "staffing plain" "$($BIN staffing --calls 100 --aht 180 --shrinkage 0.3)"
if $BIN staffing --calls 100 --aht 180 --service-level 1 >/dev/null 2>&1; then fail "staffing service level 1" "accepted"; else pass "staffing refuses a service level of 1"; fi

# SQLite: seed, verify, tamper, verify again.
db="$work/demo.sqlite"
$BIN seed --demo --orders 120 --sqlite "$db" >/dev/null 2>&1 || fail "seed sqlite" "seed failed"
pass "seed --demo on SQLite"
$BIN verify-log --sqlite "$db" 2>/dev/null | contains '^OK: ' && pass "verify-log accepts an intact SQLite log" || fail "verify sqlite" "not OK"
# A command that reads a database refuses a path where none exists, and makes no file there.
out=$($BIN verify-log --sqlite "$work/none.sqlite" 2>&1 || true)
{ echo "$out" | contains "no database at $work/none.sqlite" && [ ! -e "$work/none.sqlite" ]; } \
  && pass "verify-log refuses a missing SQLite file and creates none" || fail "missing database" "$out"
# The restore drill (README "Backups"): back up the live database, restore it elsewhere, verify it there.
$BIN backup --sqlite "$db" --to "$work/backup.sqlite" 2>/dev/null | contains 'every hash chain intact' \
  && [ ! -e "$work/backup.sqlite-wal" ] && pass "backup copies a SQLite database to one file and verifies the copy" || fail "backup sqlite" "failed"
live=$($BIN verify-log --sqlite "$db" 2>/dev/null)
$BIN restore --from "$work/backup.sqlite" --sqlite "$work/restored.sqlite" >/dev/null 2>&1 || fail "restore sqlite" "failed"
expect_eq "a restored SQLite database verifies like the live one" "$($BIN verify-log --sqlite "$work/restored.sqlite" 2>/dev/null)" "$live"
if $BIN restore --from "$work/backup.sqlite" --sqlite "$work/restored.sqlite" >/dev/null 2>&1; then fail "restore over" "accepted"; else
  pass "restore refuses to replace a database without --replace"; fi
cp "$work/backup.sqlite" "$work/tampered.sqlite"
python3 - "$work/tampered.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER work_order_events_no_update")
c.execute("UPDATE work_order_events SET note = 'tampered' WHERE seq = 2 AND order_number = (SELECT MIN(order_number) FROM work_order_events WHERE seq = 2)")
c.commit()
PY
out=$($BIN restore --from "$work/tampered.sqlite" --sqlite "$work/from-tampered.sqlite" 2>&1 || true)
{ echo "$out" | contains "BROKEN: order" && [ ! -e "$work/from-tampered.sqlite" ]; } \
  && pass "restore refuses a tampered backup and writes nothing" || fail "restore tampered" "$out"
# Signed checkpoints (存证, README): a key outside the database, a checkpoint, the published log; verify-log with them, and a
# document edited afterwards is named.
pub=$($BIN checkpoint-key --out "$work/checkpoint.key" | tail -1)
[ "$(stat -c %a "$work/checkpoint.key")" = 600 ] && pass "checkpoint-key writes an owner-only key file" || fail "checkpoint key" "mode"
$BIN checkpoint --key "$work/checkpoint.key" --sqlite "$db" | contains '^checkpoint 1: [0-9]* orders, root ' && pass "checkpoint signs every order" \
  || fail "checkpoint" "no summary"
$BIN checkpoints-export --sqlite "$db" --to "$work/checkpoints.jsonl" >/dev/null
out=$($BIN verify-log --sqlite "$db" --checkpoints "$work/checkpoints.jsonl" --public-key "$pub" 2>/dev/null || true)
echo "$out" | contains 'every order in it accounted for' && pass "verify-log accepts the database against its published checkpoint" \
  || fail "verify checkpoints" "$out"
edited=$(python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("SELECT MIN(number) FROM work_orders").fetchone()[0]
c.execute("UPDATE work_orders SET doc = doc || ' ' WHERE number = ?", (n,))
c.commit()
print(n)
PY
)
out=$($BIN verify-log --sqlite "$db" --checkpoints "$work/checkpoints.jsonl" --public-key "$pub" 2>/dev/null || true)
echo "$out" | contains "TAMPERED: order $edited: document" && pass "verify-log names an order document edited since the checkpoint" \
  || fail "checkpoint edit" "$out"
target=$(python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("SELECT order_number FROM work_order_events WHERE seq = 2 ORDER BY order_number LIMIT 1").fetchone()[0]
c.execute("DROP TRIGGER work_order_events_no_update")
c.execute("UPDATE work_order_events SET note = 'tampered' WHERE order_number = ? AND seq = 2", (n,))
c.commit()
print(n)
PY
)
out=$($BIN verify-log --sqlite "$db" 2>/dev/null || true)
echo "$out" | contains "BROKEN: order $target event 2" && pass "verify-log names the tampered SQLite event" || fail "tamper sqlite" "$out"

data=../shared/data
if [ -d "$data" ]; then
  json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
  at_least() { python3 -c "import sys; sys.exit(0 if float('$2') >= float('$3') else 1)" && pass "$1 ($2 >= $3)" || fail "$1" "$2 < $3"; }
  report=$($BIN text cv --input "$data/routing_train.csv" --text-column text --label-column unit --gazetteer --folds 5 --json 2>/dev/null)
  at_least "unit recommender 5-fold top-1 on routing_train" "$(echo "$report" | json_field accuracy)" 0.60
  at_least "unit recommender 5-fold top-3 on routing_train" "$(echo "$report" | json_field top3Accuracy)" 0.90
  head -n 1201 "$data/messages_train.csv" > "$work/train.csv"
  { head -n 1 "$data/messages_train.csv"; tail -n 400 "$data/messages_train.csv"; } > "$work/test.csv"
  $BIN text train --input "$work/train.csv" --text-column text --label-column category --out "$work/category.model" >/dev/null 2>&1 \
    && pass "text train writes a model" || fail "text train" "failed"
  $BIN text predict --model "$work/category.model" --input "$work/test.csv" --text-column text --out "$work/predicted.csv" >/dev/null 2>&1
  expect_eq "text predict writes a row per message" "$(wc -l < "$work/predicted.csv" | tr -d ' ')" "401"
  held_out=$($BIN text evaluate --model "$work/category.model" --input "$work/test.csv" --text-column text --label-column category --json 2>/dev/null)
  at_least "category model trained on 1,200 messages, accuracy on 400 others" "$(echo "$held_out" | json_field accuracy)" 0.85
  retrieval=$($BIN text retrieval --input "$data/replies_train.csv" --text-column subject,detail --answer-column reply --json 2>/dev/null)
  at_least "reply retrieval recall@5 on replies_train" "$(echo "$retrieval" | json_field recallAt5)" 0.75
fi

if [ -n "$PG_URL" ]; then
  base=${PG_URL%%\?*}
  admin="${base%/*}/postgres"
  name="hotline_smoke_$$"
  export PGOPTIONS='-c client_min_messages=warning'
  url="${base%/*}/$name?sslmode=disable"
  psql "$admin" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  DATABASE_URL="$url" $BIN seed --demo --orders 120 >/dev/null 2>&1 || fail "seed postgres" "seed failed"
  pass "seed --demo on PostgreSQL"
  DATABASE_URL="$url" $BIN verify-log 2>/dev/null | contains '^OK: ' && pass "verify-log accepts an intact PostgreSQL log" || fail "verify pg" "not OK"
  # The restore drill on PostgreSQL: pg_dump, then pg_restore into another database, each verified.
  live=$(DATABASE_URL="$url" $BIN verify-log 2>/dev/null)
  DATABASE_URL="$url" $BIN backup --to "$work/pg.dump" 2>/dev/null | contains 'every hash chain intact' \
    && pass "backup dumps PostgreSQL and verifies the dump restored in a scratch database" || fail "backup pg" "failed"
  psql "$admin" -qc "DROP DATABASE IF EXISTS ${name}_restored" -c "CREATE DATABASE ${name}_restored" >/dev/null
  restored="${base%/*}/${name}_restored?sslmode=disable"
  $BIN restore --from "$work/pg.dump" --database-url "$restored" >/dev/null 2>&1 || fail "restore pg" "failed"
  expect_eq "a restored PostgreSQL database verifies like the live one" "$(DATABASE_URL="$restored" $BIN verify-log 2>/dev/null)" "$live"
  if $BIN restore --from "$work/pg.dump" --database-url "$restored" >/dev/null 2>&1; then fail "restore over pg" "accepted"; else
    pass "restore refuses a PostgreSQL database in use without --replace"; fi
  psql "$admin" -qc "DROP DATABASE ${name}_restored" >/dev/null
  n=$(psql "${url%%\?*}" -tAc "SELECT order_number FROM work_order_events WHERE seq = 2 ORDER BY order_number LIMIT 1")
  psql "${url%%\?*}" -qc "DROP TRIGGER work_order_events_append_only ON work_order_events" \
    -c "UPDATE work_order_events SET note = 'tampered' WHERE order_number = $n AND seq = 2" >/dev/null
  out=$(DATABASE_URL="$url" $BIN verify-log 2>/dev/null || true)
  echo "$out" | contains "BROKEN: order $n event 2" && pass "verify-log names the tampered PostgreSQL event" || fail "tamper pg" "$out"
  psql "$admin" -qc "DROP DATABASE $name" >/dev/null
fi
