#!/usr/bin/env bash
# Install what blendscan's tests need on a fresh Debian machine; does nothing for what is already there.
# Safe to run again. Needs root (or sudo) only when something is missing.
set -euo pipefail

# Debian packages the test suite uses, as "command:package": poppler-utils and qpdf check the PDF
# reports, chromium and chromium-driver run the browser test of the web pages.
NEEDS=("pdftotext:poppler-utils" "pdftoppm:poppler-utils" "qpdf:qpdf" "chromium:chromium" "chromedriver:chromium-driver")
# Extra packages a caller asks for (scripts/load-test.sh adds wrk).
for extra in ${EXTRA_DEPS:-}; do NEEDS+=("$extra"); done

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
  # shellcheck disable=SC2046
  $SUDO apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u)
fi

# rustfmt and clippy: a minimal rustup profile has neither.
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    if command -v rustup >/dev/null 2>&1; then
      echo "installing the Rust component $component"
      rustup component add "$component"
    fi
  fi
done

if ! cargo nextest --version >/dev/null 2>&1; then
  echo "installing cargo-nextest"
  cargo install --locked cargo-nextest
fi

# axe-core, the accessibility checker the browser test injects into every page it visits (npm, pinned).
AXE_VERSION=4.14.1
AXE_DIR=${BLENDSCAN_NPM_DIR:-$HOME/.cache/blendscan-npm}
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] \
  || ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  echo "installing axe-core $AXE_VERSION into $AXE_DIR"
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION"
fi

# schemathesis (the generated client the OpenAPI test runs against the served document) and
# openapi-spec-validator (checks the document is valid OpenAPI 3.1), pinned, in a virtualenv of their own.
SCHEMATHESIS_VERSION=4.32.5
SPEC_VALIDATOR_VERSION=0.7.2
PY_DIR=${BLENDSCAN_PY:-$HOME/.cache/blendscan-py}
have_schemathesis=$("$PY_DIR/bin/schemathesis" --version 2>/dev/null || true)
have_validator=$("$PY_DIR/bin/pip" show openapi-spec-validator 2>/dev/null || true)
if [[ $have_schemathesis != *"version $SCHEMATHESIS_VERSION" ]] \
  || [[ $have_validator != *"Version: $SPEC_VALIDATOR_VERSION"* ]]; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION and openapi-spec-validator $SPEC_VALIDATOR_VERSION into $PY_DIR"
  if [ ! -x "$PY_DIR/bin/pip" ]; then
    command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' 2>/dev/null || {
      SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
      $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv
    }
    python3 -m venv "$PY_DIR"
  fi
  "$PY_DIR/bin/pip" install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$SPEC_VALIDATOR_VERSION"
fi
