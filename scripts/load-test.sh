#!/usr/bin/env bash
# Load test of the service (issue 7), release build, SQLite, on loopback:
#  1. the dashboard JSON of one organisation (GET …/score, 300 respondents and a previous scan)
#     under wrk — target ≥ 1,000 requests/s with p99 < 50 ms on 2 cores;
#  2. 20 concurrent uploads of a 300-respondent spreadsheet (one per organisation) — target: all
#     succeed (201), no database-busy error.
#   LOAD_SECONDS (20), LOAD_CONNECTIONS (32), LOAD_DIR (a temporary directory)
#
# `scripts/load-test.sh --instances 2`: two instances on one PostgreSQL database (issue 20), each
# behind half the connections — the score JSON and the PDF download, requests/s, p99, errors and the
# memory of each instance. LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/blendscan_load; the
# database is dropped and made afresh, so never point it at real data).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
EXTRA_DEPS="wrk:wrk curl:curl psql:postgresql-client" scripts/install-deps.sh >/dev/null
WORK=${LOAD_DIR:-$(mktemp -d /tmp/blendscan-load.XXXXXX)}; mkdir -p "$WORK"
SECONDS_=${LOAD_SECONDS:-20}
CONNS=${LOAD_CONNECTIONS:-32}
INSTANCES=1
if [ "${1:-}" = "--instances" ]; then INSTANCES=${2:?--instances N}; fi

cargo build --release --locked -q
BIN=$CARGO_TARGET_DIR/release/blendscan

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Milliseconds of a wrk latency (`850.00us`, `12.31ms`, `1.02s`).
to_ms() { awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1; next} /s$/ {sub("s",""); print $1*1000}'; }

# One organisation with two scans of 300 respondents × 150 items, and an admin's token: ORG, TOKEN.
set_up() {
  for seed in 1 2; do scripts/make-fixtures.sh bench "$WORK/scan-$seed.xlsx" --rows 300 --items 150 --seed "$seed" >/dev/null; done
  ORG=$("$BIN" org add --name "Load CAW" --sector CAW --staff 400 | tail -n 1)
  "$BIN" import --org "$ORG" --year 2025 "$WORK/scan-1.xlsx" >/dev/null
  "$BIN" import --org "$ORG" --year 2026 "$WORK/scan-2.xlsx" >/dev/null
  echo "load-test-password" | "$BIN" user add --email admin@load.example --role admin --password-stdin >/dev/null
  TOKEN=$("$BIN" token create --email admin@load.example 2>/dev/null | tail -n 1)
}

if [ "$INSTANCES" != 1 ]; then
  [ "$INSTANCES" = 2 ] || { echo "--instances: 1 or 2" >&2; exit 2; }
  PG=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/blendscan_load}
  DBNAME=${PG##*/}; DBNAME=${DBNAME%%\?*}; ADMIN=${PG%/*}/postgres
  psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" -c "CREATE DATABASE $DBNAME"
  export DATABASE_URL=$PG BLENDSCAN_OUTBOX_DIR="$WORK/outbox"
  echo "== set-up in $WORK on $DBNAME =="
  set_up
  PIDS=(); PORTS=()
  for i in 1 2; do
    port=$(free_port); PORTS+=("$port")
    "$BIN" serve --bind "127.0.0.1:$port" >"$WORK/serve-$i.log" 2>&1 &
    PIDS+=($!)
  done
  trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
  for port in "${PORTS[@]}"; do
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done
  done
  run_pair() { # name path seconds
    local name=$1 path=$2 secs=$3 i=0
    for port in "${PORTS[@]}"; do
      i=$((i + 1))
      wrk -t1 -c"$((CONNS / 2))" -d"${secs}s" --latency -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$port$path" >"$WORK/wrk-$name-$i.txt" &
    done
    wait $(jobs -p | grep -v -e "^${PIDS[0]}$" -e "^${PIDS[1]}$") 2>/dev/null || true
    local rps=0 p99=0 errors=0
    for i in 1 2; do
      f="$WORK/wrk-$name-$i.txt"
      rps=$(awk -v a="$rps" '/Requests\/sec/ {print a + $2}' "$f")
      p=$(awk '$1 == "99%" {print $2}' "$f" | to_ms)
      p99=$(awk -v a="$p99" -v b="$p" 'BEGIN{print (b > a) ? b : a}')
      e=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",",""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$f")
      errors=$((errors + e))
    done
    printf '%s: %s requests/s over both, p99 %s ms (the slower instance), errors %s\n' "$name" "$rps" "$p99" "$errors"
  }
  BASE="/api/v1/organisations/$ORG/scans/2026"
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${PORTS[0]}$BASE/reports/selfscan.pdf"
  echo "== two instances, wrk -c$((CONNS / 2)) on each =="
  SCORE=$(run_pair "score JSON" "$BASE/score" "$SECONDS_")
  PDF=$(run_pair "PDF download" "$BASE/reports/selfscan.pdf" 10)
  MEM=""
  for i in 1 2; do
    pid=${PIDS[$((i - 1))]}
    MEM="$MEM  instance $i: $(awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "resident %.0f MB, peak %.0f MB", r/1024, h/1024}' "/proc/$pid/status")\n"
  done
  REPORTS=$(psql -qtA "$PG" -c "SELECT count(*) FROM reports")
  printf '\n== results (two instances, PostgreSQL) ==\n%s\n%s\n%bstored reports after %s downloads: %s\n' \
    "$SCORE" "$PDF" "$MEM" "$(cat "$WORK"/wrk-PDF*.txt | awk '/requests in/ {n += $1} END {print n}')" "$REPORTS"
  exit 0
fi
export DATABASE_URL="sqlite://$WORK/load.db"
export BLENDSCAN_OUTBOX_DIR="$WORK/outbox"
rm -f "$WORK"/load.db*

echo "== set-up in $WORK =="
set_up
UPLOAD_ORGS=()
for i in $(seq 1 20); do
  UPLOAD_ORGS+=("$("$BIN" org add --name "Upload $i" --staff 400 | tail -n 1)")
  scripts/make-fixtures.sh bench "$WORK/upload-$i.xlsx" --rows 300 --items 150 --seed $((100 + i)) >/dev/null
done

PORT=$(free_port)
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/api/v1/organisations/$ORG/scans/2026/score"
curl -fs -H "Authorization: Bearer $TOKEN" "$URL" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("score: respondents", d["respondents"], "overall", d["overall"], "trend", d["overall_trend"])'

echo "== dashboard JSON: wrk -t2 -c$CONNS -d${SECONDS_}s =="
wrk -t2 -c"$CONNS" -d"${SECONDS_}s" --latency -H "Authorization: Bearer $TOKEN" "$URL" | tee "$WORK/wrk.txt"
RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
P99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
P99_MS=$(echo "$P99" | awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1; next} /s$/ {sub("s",""); print $1*1000}')
NON2XX=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.txt"); NON2XX=${NON2XX:-0}

# For the record: the same without the in-memory score cache (every request loads and scores both
# scans); no target, it shows what the cache saves.
PORT2=$(free_port)
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:$PORT2" --no-score-cache >"$WORK/serve-nocache.log" 2>&1 &
UNCACHED=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT2/health" >/dev/null && break; sleep 0.1; done
echo "== dashboard JSON without the score cache: wrk -t2 -c$CONNS -d10s =="
wrk -t2 -c"$CONNS" -d10s --latency -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$PORT2/api/v1/organisations/$ORG/scans/2026/score" | tee "$WORK/wrk-nocache.txt"
kill "$UNCACHED"; wait "$UNCACHED" 2>/dev/null || true
RPS_NC=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-nocache.txt")
P99_NC=$(awk '$1 == "99%" {print $2}' "$WORK/wrk-nocache.txt")

echo "== 20 concurrent uploads of 300 respondents =="
start=$(date +%s.%N)
for i in $(seq 1 20); do
  org=${UPLOAD_ORGS[$((i - 1))]}
  curl -s -o "$WORK/upload-$i.json" -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" \
    -F "file=@$WORK/upload-$i.xlsx" "http://127.0.0.1:$PORT/api/v1/organisations/$org/scans/2026/imports" >"$WORK/upload-$i.code" &
done
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null || true
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
CREATED=$(cat "$WORK"/upload-*.code | grep -c '^201$' || true)
# grep -c exits 1 when nothing matched, which is the outcome we hope for.
BUSY=$({ grep -ci 'database is locked\|busy' "$WORK/serve.log" "$WORK"/upload-*.json || true; } | awk -F: '{s+=$NF} END {print s+0}')
STORED=$(python3 - "$WORK" <<'PY'
import json, glob, sys
n = 0
for f in glob.glob(sys.argv[1] + "/upload-*.json"):
    d = json.load(open(f))
    n += d.get("respondents_imported", 0) == 300
print(n)
PY
)

verdict() { awk -v ok="$1" 'BEGIN{print ok ? "ok" : "MISSED"}'; }
cat <<REPORT

== results ==
dashboard JSON (GET …/score, 300 respondents + previous scan), wrk -c$CONNS ${SECONDS_}s:
  ${RPS} requests/s (target ≥ 1000): $(verdict "$(awk -v r="$RPS" 'BEGIN{print r >= 1000}')")
  p99 ${P99_MS} ms (target < 50 ms): $(verdict "$(awk -v p="$P99_MS" 'BEGIN{print p < 50}')")
  non-2xx responses: ${NON2XX}
  without the score cache (no target): ${RPS_NC} requests/s, p99 ${P99_NC}
20 concurrent uploads × 300 respondents: ${CREATED}/20 created (201), ${STORED}/20 with 300 respondents stored,
  database-busy errors: ${BUSY}, all done in ${elapsed} s: $(verdict "$([ "$CREATED" = 20 ] && [ "$BUSY" = 0 ] && echo 1 || echo 0)")
REPORT
