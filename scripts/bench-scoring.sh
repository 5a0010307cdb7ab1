#!/usr/bin/env bash
# Measure scoring: the pure scoring (criterion, benches/scoring.rs) and scoring from the database on
# SQLite and — when reachable — PostgreSQL: one organisation with 500 respondents (and its previous scan
# of 500 for the trend; target < 20 ms) and a federation benchmark over 300 organisations × 100
# respondents (target < 2 s). The database part is the ignored test `scoring_perf` in release mode; it
# seeds its own database (a temporary SQLite file, or a fresh PostgreSQL database it drops afterwards).
#
#   TEST_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
#   SKIP_CRITERION=1   only the database measurements
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}

if [ "${SKIP_CRITERION:-}" != 1 ]; then
  echo "== pure scoring (criterion) =="
  cargo bench --bench scoring
fi

run_db() {
  cargo test --release --test it scoring_perf -- --ignored --nocapture --test-threads 1 2>&1 \
    | grep -E '^\[|panicked|test result' | tee -a "$FIGURES"
}
FIGURES=$(mktemp)
trap 'rm -f "$FIGURES"' EXIT
export FIGURES

echo "== from the database: SQLite =="
env -u TEST_DATABASE_URL bash -c "$(declare -f run_db); run_db"

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
hostport=${PG_URL#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}; hostport=${hostport%%\?*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$hostport" ] && port=5432
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "== from the database: PostgreSQL ($host:$port) =="
  TEST_DATABASE_URL=$PG_URL bash -c "$(declare -f run_db); run_db"
else
  echo "== PostgreSQL not reachable at $host:$port: skipped =="
fi

if grep -q 'MISSED\|panicked' "$FIGURES"; then
  echo "== a target was missed ==" >&2
  exit 1
fi
echo "== every target met =="
