#!/usr/bin/env bash
# Mail benchmark (issue 6): 500 queued report e-mails with 200 kB attachments, delivered by one
# `outbox flush` over pooled connections to a real SMTP server on loopback; target < 15 s.
#   BENCH_MESSAGES, BENCH_ATTACHMENT_KB, BENCH_CONNECTIONS  change the set-up (500, 200, 4)
#   BENCH_DATABASE_URL  the database (default: a temporary SQLite file; postgres://… works too)
# Builds the benchmark in release mode (the bench profile); prints the figures and exits non-zero
# when the target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
cargo bench --locked --bench mail
