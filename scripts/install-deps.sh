#!/usr/bin/env bash
# Install what blendscan's tests need on a fresh Debian machine; does nothing for what is already there.
# Safe to run again. Needs root (or sudo) only when something is missing.
set -euo pipefail

# Debian packages the test suite uses, as "command:package".
# (The current suite needs none; report rendering and browser tests add poppler-utils, qpdf, chromium.)
NEEDS=("pdftotext:poppler-utils" "qpdf:qpdf")

missing=()
for pair in "${NEEDS[@]}"; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! cargo nextest --version >/dev/null 2>&1; then
  echo "installing cargo-nextest"
  cargo install --locked cargo-nextest
fi
