#!/usr/bin/env bash
# Load test of POST /api/charts/generate (the 4-bar 800×500 case) with `oha`, against a release
# build of `clovicharts serve` on 127.0.0.1 with a fresh data dir and the rate limit off.
# Bounded: three runs of 10 s (1, 16 and 64 concurrent clients); it stops by itself.
#
#   benches/http_load.sh                 # needs `oha` (cargo install oha --locked)
#   DURATION=5s CONCURRENCY="16" RENDER_CACHE_MB=0 benches/http_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-"1 16 64"}
PORT=${PORT:-18966}
command -v oha >/dev/null || { echo "oha not found: cargo install oha --locked" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to summarise oha's JSON" >&2; exit 1; }

cargo build --release --quiet --bin clovicharts
trap stop_ours EXIT
start_ours "$PORT" RENDER_CACHE_MB="${RENDER_CACHE_MB:-64}"

printf '%-12s %10s %9s %9s %9s %s\n' clients "req/s" "p50 ms" "p99 ms" "errors" statuses
for c in $CONCURRENCY; do
  oha_run "$OURS_DATA/oha-$c.json" "$DURATION" "$c" "http://127.0.0.1:$PORT/api/charts/generate" \
    benches/cases/a_bar.json -H "Cookie: cl_session=$OURS_TOKEN"
  read -r rps p50 p99 errors codes < <(oha_fields "$OURS_DATA/oha-$c.json")
  printf '%-12s %10s %9s %9s %9s %s\n' "$c" "$rps" "$p50" "$p99" "$errors" "$codes"
done
echo "charts stored: $(curl -s "http://127.0.0.1:$PORT/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["charts_rendered"])')"
