#!/usr/bin/env bash
# Render the demo's reports (every kind, Dutch and English) and rasterise each page to PNG, to look
# at them as a reader would: nothing overflows, no labels overlap, charts read at a glance.
#
#   scripts/render-previews.sh [OUT_DIR]      default: ${TMPDIR:-/tmp}/blendscan-previews
#
# The demo federation has four members, too few for a benchmark (a comparison group needs five), so
# the script adds six members with copies of the demo questionnaires: five per sector.
# Writes OUT_DIR/pdf/*.pdf and OUT_DIR/png/<report>-<page>.png (pdftoppm -r 90: labels legible).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
out=$(realpath -m "${1:-${TMPDIR:-/tmp}/blendscan-previews}")
command -v pdftoppm >/dev/null 2>&1 || scripts/install-deps.sh

cargo build --quiet
bin=$CARGO_TARGET_DIR/debug/blendscan

rm -rf "$out"
mkdir -p "$out/pdf" "$out/png"
demo=$out/demo
"$bin" demo --out "$demo" >"$out/demo.log"
export DATABASE_URL=sqlite://$demo/blendscan.db
export BLENDSCAN_CATALOGUE_DIR=$PWD
fed="Koepel Welzijn Vlaanderen (demo)"

# Six more members, three per sector, answering like the demo organisations.
sheets=("$demo"/vragenlijsten/*-2026.xlsx)
i=0
for sector in CAW CLB; do
  for n in 1 2 3; do
    slug=$("$bin" org add --name "$sector Extra $n (demo)" --sector "$sector" --federation "$fed" --staff 40 | tail -n 1)
    sheet=${sheets[$((i % ${#sheets[@]}))]}
    for year in 2025 2026; do
      "$bin" import --org "$slug" --year "$year" "${sheet%-2026.xlsx}-$year.xlsx" >/dev/null
    done
    i=$((i + 1))
  done
done

first=$(ls "$demo"/rapport-*-advies.pdf | head -n 1)
org=$(basename "$first" | sed -E 's/^rapport-(.*)-2026-advies\.pdf$/\1/')
for lang in nl en; do
  "$bin" report --org "$org" --year 2026 --kind selfscan --lang "$lang" --out "$out/pdf/selfscan-$lang.pdf" >/dev/null
  "$bin" report --org "$org" --year 2026 --kind advice --lang "$lang" --out "$out/pdf/advice-$lang.pdf" >/dev/null
  "$bin" report --federation "$fed" --year 2026 --kind benchmark --lang "$lang" --out "$out/pdf/benchmark-$lang.pdf" >/dev/null
done
# The demo's own reports as written by `blendscan demo` (the four-member benchmark shows too few).
cp "$demo"/rapport-*.pdf "$out/pdf/"

for pdf in "$out"/pdf/*.pdf; do
  name=$(basename "$pdf" .pdf)
  pdftoppm -r 90 -png "$pdf" "$out/png/$name"
done
echo "$(ls "$out"/pdf | wc -l) reports, $(ls "$out"/png | wc -l) pages in $out/png"
