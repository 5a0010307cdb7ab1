#!/usr/bin/env bash
# Report benchmark (issue 5), release build:
#   1. `cargo bench --bench report`: a self-scan report rendered warm in-process (criterion median,
#      target < 250 ms), 300 member reports on 2 threads (target < 60 s), resident memory over 1,000
#      renders (target: flat). The bench writes the data of one report to data.json.
#   2. typst-cli (`typst compile`) on the same template and the same data.json, a few times: its
#      median against the in-process warm median (the ratio typst-cli / in-process).
#   3. A cold `blendscan report` call (a new process: catalogue, templates, fonts, database, render,
#      write) on the demo database, a few times: target < 1 s.
#
#   scripts/bench-report.sh [WORK_DIR]        default: ${TMPDIR:-/tmp}/blendscan-bench-report
#   RUNS=N              runs of typst-cli and of the cold call (default 5)
#   SKIP_CRITERION=1    reuse the figures of the last `cargo bench --bench report` run (its data.json
#                       must still be in WORK_DIR)
#   SKIP_TYPST_CLI=1    leave out the typst-cli comparison (its first install is a long release build)
#
# typst-cli: `typst` on PATH, else $HOME/.cache/blendscan-tools/bin/typst, installed on first use with
# `cargo install --locked typst-cli` at the version of the typst crate in Cargo.lock (its own build
# directory under $HOME/.cache/blendscan-tools, not the project's target directory).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/blendscan-target}
work=$(realpath -m "${1:-${TMPDIR:-/tmp}/blendscan-bench-report}")
runs=${RUNS:-5}
tools=$HOME/.cache/blendscan-tools
mkdir -p "$work"

step() { printf '\n== %s ==\n' "$*"; }
# The median of the numbers on standard input, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Run a command `runs` times; print "wall cpu" (seconds) per run to the file $1. Wall time from the
# nanosecond clock; CPU time (user + system, children included) from GNU time, 10 ms resolution.
time_runs() {
  local out=$1; shift
  : >"$out"
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/time.one" "$@" >/dev/null 2>"$work/stderr.one" \
      || { cat "$work/stderr.one" >&2; return 1; }
    t1=$(date +%s%N)
    awk -v w=$(((t1 - t0) / 1000000)) '{ printf "%.3f %.2f\n", w / 1000, $1 + $2 }' "$work/time.one" >>"$out"
  done
}

# ---------------------------------------------------------------------------------------------------
typst_version=$(awk '/^name = "typst"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "${SKIP_TYPST_CLI:-}" != 1 ]; then
step "typst-cli"
typst_version=$(awk '/^name = "typst"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if command -v typst >/dev/null 2>&1; then
  typst=$(command -v typst)
else
  typst=$tools/bin/typst
  if ! { [ -x "$typst" ] && "$typst" --version | grep -q " $typst_version"; }; then
    echo "installing typst-cli $typst_version into $tools (takes a while, once)"
    env -u CARGO_TARGET_DIR cargo install --locked typst-cli --version "$typst_version" \
      --root "$tools" --target-dir "$tools/build"
  fi
fi
echo "$typst: $("$typst" --version) (typst crate in Cargo.lock: $typst_version)"
fi

# ---------------------------------------------------------------------------------------------------
step "in-process rendering: cargo bench --bench report"
if [ "${SKIP_CRITERION:-}" != 1 ]; then
  BLENDSCAN_BENCH_DATA_DIR=$work cargo bench --locked --bench report 2>&1 | tee "$work/bench.log" \
    | grep -vE '^(Benchmarking|Gnuplot|Warning|Found|  [0-9]+ \(|$)'
else
  cat "$work/bench.log"
fi
estimates=$(find "$CARGO_TARGET_DIR/criterion" -path '*warm*data changes*/new/estimates.json' | head -n 1)
warm_ms=$(jq '.median.point_estimate / 1e5 | round / 10' "$estimates")
warm_cpu_ms=$(sed -nE 's/^[0-9]+ renders, data changing: ([0-9.]+) ms CPU.*/\1/p' "$work/bench.log")
batch_s=$(sed -nE 's/^300 member reports.*: ([0-9.]+) s wall.*/\1/p' "$work/bench.log")

# ---------------------------------------------------------------------------------------------------
cli_wall=n/a cli_cpu=n/a
if [ "${SKIP_TYPST_CLI:-}" != 1 ]; then
step "typst-cli on the same template and data ($runs runs)"
# The templates as an installation has them, with the bench's data.json at the project root, where
# the template reads it (`json("/data.json")`). Fonts: Noto Sans from report-templates/fonts plus the
# fonts typst-cli embeds (the same typst-assets fonts blendscan builds in); no system fonts.
tpl=$work/typst-root
rm -rf "$tpl"
cp -r report-templates "$tpl"
cp "$work/data.json" "$tpl/data.json"
date=$(jq -r '.meta.date | "\(.year)-\(.month)-\(.day)"' "$tpl/data.json")
stamp=$(date -u -d "$date" +%s)
cli=("$typst" compile --root "$tpl" --font-path "$tpl/fonts" --ignore-system-fonts
  --features a11y-extras --pdf-standard a-2b,ua-1 --creation-timestamp "$stamp" "$tpl/selfscan.typ" "$work/typst-cli.pdf")
"${cli[@]}" # once to check it compiles and to warm the file cache
time_runs "$work/typst.times" "${cli[@]}"
cli_wall=$(awk '{ print $1 }' "$work/typst.times" | median)
cli_cpu=$(awk '{ print $2 }' "$work/typst.times" | median)
echo "typst compile: median $cli_wall s wall, $cli_cpu s CPU ($(pdfinfo "$work/typst-cli.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }') pages)"
fi

# ---------------------------------------------------------------------------------------------------
step "a cold \`blendscan report\` call, release build ($runs runs)"
cargo build --locked --release --quiet
bin=$CARGO_TARGET_DIR/release/blendscan
demo=$work/demo
rm -rf "$demo"
"$bin" demo --out "$demo" >"$work/demo.log"
export DATABASE_URL=sqlite://$demo/blendscan.db BLENDSCAN_CATALOGUE_DIR=$root
org=$("$bin" org list --json | jq -r '.[0].slug')
call=("$bin" report --org "$org" --year 2026 --kind selfscan --out "$work/cold.pdf" --no-store)
"${call[@]}" >/dev/null
time_runs "$work/cold.times" "${call[@]}"
cold_wall=$(awk '{ print $1 }' "$work/cold.times" | median)
cold_cpu=$(awk '{ print $2 }' "$work/cold.times" | median)
echo "blendscan report --org $org: median $cold_wall s wall, $cold_cpu s CPU"

# ---------------------------------------------------------------------------------------------------
step "summary ($(nproc) cores, $(date -u +%F))"
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "pass" : "FAIL" }'; }
printf '%-58s %10s   %s\n' \
  "self-scan report, warm, in-process (criterion median)" "$warm_ms ms" "< 250 ms: $(verdict "$warm_ms" 250)" \
  "  CPU time per render (40 renders, data changing)" "$warm_cpu_ms ms" "" \
  "300 member reports on 2 threads" "$batch_s s" "< 60 s: $(verdict "$batch_s" 60)" \
  "typst compile (typst-cli $typst_version), median wall" "$cli_wall s" "" \
  "  median CPU" "$cli_cpu s" "" \
  "cold blendscan report call, median wall" "$cold_wall s" "< 1 s: $(verdict "$cold_wall" 1)" \
  "  median CPU" "$cold_cpu s" ""
[ "$cli_wall" = n/a ] || awk -v c="$cli_wall" -v w="$warm_ms" -v cc="$cli_cpu" -v wc="$warm_cpu_ms" 'BEGIN {
  printf "ratio typst-cli / in-process warm: %.1f× wall (%.0f ms / %.0f ms), %.1f× CPU (%.0f ms / %.0f ms)\n",
    c * 1000 / w, c * 1000, w, cc * 1000 / wc, cc * 1000, wc }'
grep '^resident memory' "$work/bench.log"
