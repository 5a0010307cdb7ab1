#!/usr/bin/env bash
# Run every check blendscan has: install what the tests need, formatting, clippy, then the whole suite on
# SQLite and — when a PostgreSQL server is reachable — again on PostgreSQL, each test in its own database.
#
#   TEST_DATABASE_URL  PostgreSQL server to test against (default postgres://postgres@127.0.0.1:5432/postgres)
#   CARGO_TARGET_DIR   build cache (default ~/.cache/blendscan-target, outside the clone so it is reused)
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n== %s ==\n' "$*"; }

step "dependencies"
scripts/install-deps.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests on SQLite"
env -u TEST_DATABASE_URL cargo nextest run --workspace --locked --no-fail-fast

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
hostport=${PG_URL#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}; hostport=${hostport%%\?*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$hostport" ] && port=5432
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  step "tests on PostgreSQL ($host:$port)"
  TEST_DATABASE_URL=$PG_URL cargo nextest run --workspace --locked --no-fail-fast
else
  step "PostgreSQL not reachable at $host:$port: skipping the PostgreSQL run"
fi

step "all checks passed"
