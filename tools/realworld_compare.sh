#!/usr/bin/env bash
# Renders every tests/realworld case through the reference engine (Chart.js 4, or Chart.js 2.9.4 with
# QuickChart's defaults for cases written for v2, as QuickChart draws them) and through ours, and
# writes side-by-side PNGs (reference left) plus a table to target/realworld/.
#
#   REF=/tmp/chartjs-ref tools/realworld_compare.sh [filter]
#
# REF is a copy of ../shared/peers/chartjs-reference on which `bash setup.sh` has run (default
# /tmp/chartjs-ref). BIN is our binary (default: built with `cargo build --release`). Both sides
# draw 800x500 on white; ours uses `--theme light` so the pictures compare at a glance.
# table.tsv columns: case, version, reference exit, our exit, our first error/warning line.
# Classifying a case (OK / fine / wrong / refused) needs a person looking at the picture.
set -uo pipefail
cd "$(dirname "$0")/.."
REF=${REF:-/tmp/chartjs-ref}
OUT=${OUT:-target/realworld}
FILTER=${1:-}
if [ "${BIN:-}" = none ]; then BIN=false   # reference pictures only
elif [ -z "${BIN:-}" ]; then
  cargo build --release --quiet || exit 1
  BIN=${CARGO_TARGET_DIR:-target}/release/clovicharts
fi
[ -f "$REF/raw.js" ] && [ -d "$REF/node_modules/chart.js" ] || { echo "no reference engine at $REF (copy it and run bash setup.sh)" >&2; exit 2; }
mkdir -p "$OUT/ref" "$OUT/ours" "$OUT/sbs" "$OUT/log"
printf 'case\tversion\tref_rc\tours_rc\tours_message\n' > "$OUT/table.tsv"
while read -r case ver; do
  [ -n "$FILTER" ] && [[ "$case" != *$FILTER* ]] && continue
  f="tests/realworld/$case.json"; n=${case//\//__}
  flag=(); [ "$ver" = v2 ] && flag=(--v2)
  # The reference picture only changes with the case: reuse one newer than the case file.
  if [ "$OUT/ref/$n.png" -nt "$f" ] && [ -f "$OUT/log/$n.ref.rc" ]; then rrc=$(cat "$OUT/log/$n.ref.rc")
  else
    timeout 60 node "$REF/raw.js" "${flag[@]}" "$f" "$OUT/ref/$n.png" 800 500 > "$OUT/log/$n.ref.txt" 2>&1; rrc=$?
    echo "$rrc" > "$OUT/log/$n.ref.rc"
  fi
  rm -f "$OUT/ours/$n.png"
  CLOVICHARTS_BACKEND=cpu RUST_LOG=warn timeout 60 "$BIN" render "$f" -o "$OUT/ours/$n.png" --theme light --width 800 --height 500 > "$OUT/log/$n.ours.txt" 2>&1; orc=$?
  msg=$(grep -v '^\s*$' "$OUT/log/$n.ours.txt" | head -3 | tr '\t\n' '  ' | cut -c1-300)
  NODE_PATH="$REF/node_modules" node tools/realworld_sbs.js "$OUT/ref/$n.png" "$OUT/ours/$n.png" "$case ($ver) ours rc=$orc" "$OUT/sbs/$n.png" 2>> "$OUT/log/sbs.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "$ver" "$rrc" "$orc" "$msg" >> "$OUT/table.tsv"
done < tests/realworld/versions.txt
awk -F'\t' 'NR>1 { n++; if ($4 == 0) ok++; if ($3 != 0) rf++ } END { printf "%d cases: ours rendered %d, refused/failed %d; reference failed %d\n", n, ok, n-ok, rf }' "$OUT/table.tsv"
