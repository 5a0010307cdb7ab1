#!/usr/bin/env bash
# Load test of the service (issue 7), release build, SQLite, on loopback:
#  1. the dashboard JSON of one organisation (GET …/score, 300 respondents and a previous scan)
#     under wrk — target ≥ 1,000 requests/s with p99 < 50 ms on 2 cores;
#  2. 20 concurrent uploads of a 300-respondent spreadsheet (one per organisation) — target: all
#     succeed (201), no database-busy error.
#   LOAD_SECONDS (20), LOAD_CONNECTIONS (32), LOAD_DIR (a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
EXTRA_DEPS="wrk:wrk curl:curl" scripts/install-deps.sh >/dev/null
WORK=${LOAD_DIR:-$(mktemp -d /tmp/blendscan-load.XXXXXX)}
SECONDS_=${LOAD_SECONDS:-20}
CONNS=${LOAD_CONNECTIONS:-32}

cargo build --release --locked -q
BIN=$CARGO_TARGET_DIR/release/blendscan
export DATABASE_URL="sqlite://$WORK/load.db"
export BLENDSCAN_OUTBOX_DIR="$WORK/outbox"
rm -f "$WORK"/load.db*

echo "== set-up in $WORK =="
for seed in 1 2; do scripts/make-fixtures.sh bench "$WORK/scan-$seed.xlsx" --rows 300 --items 150 --seed "$seed" >/dev/null; done
ORG=$("$BIN" org add --name "Load CAW" --sector CAW --staff 400 | tail -n 1)
"$BIN" import --org "$ORG" --year 2025 "$WORK/scan-1.xlsx" >/dev/null
"$BIN" import --org "$ORG" --year 2026 "$WORK/scan-2.xlsx" >/dev/null
echo "load-test-password" | "$BIN" user add --email admin@load.example --role admin --password-stdin >/dev/null
TOKEN=$("$BIN" token create --email admin@load.example 2>/dev/null | tail -n 1)
UPLOAD_ORGS=()
for i in $(seq 1 20); do
  UPLOAD_ORGS+=("$("$BIN" org add --name "Upload $i" --staff 400 | tail -n 1)")
  scripts/make-fixtures.sh bench "$WORK/upload-$i.xlsx" --rows 300 --items 150 --seed $((100 + i)) >/dev/null
done

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
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
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
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
