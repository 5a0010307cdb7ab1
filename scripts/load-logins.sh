#!/usr/bin/env bash
# Login flood (issue 15), release build, SQLite, on loopback only: LOGINS (200) logins at once, each
# fetching the form and posting it, half with the right password. Meanwhile the server's resident
# memory and the time of `GET /health` are sampled every 100 ms.
# Targets: resident memory stays under 300 MB; /health keeps answering within 100 ms.
#   LOGINS (200), LOAD_DIR (a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
EXTRA_DEPS="curl:curl" scripts/install-deps.sh >/dev/null
WORK=${LOAD_DIR:-$(mktemp -d /tmp/blendscan-logins.XXXXXX)}; mkdir -p "$WORK"
LOGINS=${LOGINS:-200}
cargo build --release --locked -q
BIN=$CARGO_TARGET_DIR/release/blendscan
export DATABASE_URL="sqlite://$WORK/logins.db" BLENDSCAN_OUTBOX_DIR="$WORK/outbox"
rm -f "$WORK"/logins.db*
echo "load-test-password" | "$BIN" user add --email admin@load.example --role admin --password-stdin >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER/status"; }
echo "resident before: $(rss) MB"

# One login: the form (its cookie and token), then the post; prints the status.
login() {
  local i=$1 jar="$WORK/jar-$1" password="wrong-password-$1"
  [ $((i % 2)) = 0 ] && password="load-test-password"
  local token
  token=$(curl -s -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -s -o /dev/null -w '%{http_code}\n' -b "$jar" --data-urlencode "email=admin@load.example" \
    --data-urlencode "password=$password" --data-urlencode "csrf=$token" "$BASE/login"
}
export -f login; export WORK BASE

# Sample memory and /health while the flood runs.
( while kill -0 $SERVER 2>/dev/null; do
    echo "$(rss) $(curl -s -o /dev/null -m 5 -w '%{time_total}' "$BASE/health")"
    sleep 0.1
  done ) >"$WORK/samples.txt" &
SAMPLER=$!
start=$(date +%s.%N)
seq 1 "$LOGINS" | xargs -P "$LOGINS" -I{} bash -c 'login {}' >"$WORK/codes.txt"
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
sleep 1; kill $SAMPLER 2>/dev/null || true
PEAK=$(awk '{print $1}' "$WORK/samples.txt" | sort -n | tail -n 1)
HWM=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$SERVER/status")
HEALTH_MAX=$(awk '{print $2 * 1000}' "$WORK/samples.txt" | sort -n | tail -n 1)
HEALTH_P50=$(awk '{print $2 * 1000}' "$WORK/samples.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
codes=$(sort "$WORK/codes.txt" | uniq -c | awk '{printf "%s×%s ", $1, $2}')
verdict() { awk -v ok="$1" 'BEGIN{print ok ? "ok" : "MISSED"}'; }
cat <<REPORT

== results: $LOGINS logins at once, in ${elapsed} s ==
answers: ${codes}(303 logged in, 401 wrong password, 429 waiting after failures, 503 busy: come back)
resident memory: peak sampled ${PEAK} MB, high-water mark ${HWM} MB (target < 300 MB): $(verdict "$(awk -v m="$HWM" 'BEGIN{print m < 300}')")
/health during the flood: median ${HEALTH_P50} ms, slowest ${HEALTH_MAX} ms (target < 100 ms): $(verdict "$(awk -v m="$HEALTH_MAX" 'BEGIN{print m < 100}')")
REPORT
