#!/usr/bin/env bash
# Regenerate the import fixtures in tests/fixtures/ with real writers, read them back, and rewrite
# tests/fixtures/README.md and expected.json. Deterministic: a re-run gives byte-identical files.
#
#   scripts/make-fixtures.sh                      write every fixture, check it, write README.md + expected.json
#   scripts/make-fixtures.sh check                only check the committed fixtures against the generator
#   scripts/make-fixtures.sh bench OUT.xlsx       5,000 × 150 benchmark workbook (OUT.csv for CSV; never commit it)
#   scripts/make-fixtures.sh bench OUT.xlsx --rows 20000 --items 190 --seed 7
#
# Installs what it needs when missing (needs root or sudo only then): LibreOffice Calc from Debian, and the
# pinned Python writers in a private virtualenv (FIXTURES_VENV, default ~/.cache/blendscan-fixtures-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_updated=""
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# --- Debian packages ------------------------------------------------------------------------------
command -v python3 >/dev/null 2>&1 || apt_install python3
if ! command -v soffice >/dev/null 2>&1; then
  echo "installing LibreOffice Calc (soffice)"
  apt_install libreoffice-calc
fi

# --- Python writers, pinned: the bytes of the fixtures depend on their versions --------------------
PINS=(openpyxl==3.1.5 XlsxWriter==3.3.1 python-calamine==0.9.1)
VENV=${FIXTURES_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/blendscan-fixtures-venv}
have_pins() {
  "$VENV/bin/python" - "${PINS[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    if version(name) != want:
        sys.exit(1)
PY
}
if ! have_pins; then
  echo "installing ${PINS[*]} into $VENV"
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PINS[@]}"
  have_pins || { echo "could not install ${PINS[*]}" >&2; exit 1; }
fi

[ $# -gt 0 ] || set -- all
exec "$VENV/bin/python" scripts/make_fixtures.py "$@"
