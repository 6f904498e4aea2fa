#!/usr/bin/env bash
# Load test of POST /api/charts/generate (the 4-bar 800×500 case) with `oha`, against a release
# build of `clovicharts serve` on 127.0.0.1 with a fresh data dir and the rate limit off.
# Bounded: three runs of 10 s (1, 16 and 64 concurrent clients); it stops by itself.
#
#   benches/http_load.sh                 # needs `oha` (cargo install oha --locked)
#   DURATION=5s CONCURRENCY="16" benches/http_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-"1 16 64"}
PORT=${PORT:-18966}
command -v oha >/dev/null || { echo "oha not found: cargo install oha --locked" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to summarise oha's JSON" >&2; exit 1; }

cargo build --release --quiet --bin clovicharts
DATA=$(mktemp -d)
HOST=127.0.0.1 PORT=$PORT DATA_DIR=$DATA RATE_LIMIT_PER_MIN=0 RUST_LOG=warn \
  CLOVICHARTS_BACKEND=${CLOVICHARTS_BACKEND:-cpu} target/release/clovicharts serve &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 0.1
done
TOKEN=$(DATA_DIR=$DATA target/release/clovicharts token --user 1 --role user)
BODY=$(cat benches/cases/a_bar.json)

printf '%-12s %10s %9s %9s %9s %s\n' clients "req/s" "p50 ms" "p99 ms" "errors" statuses
for c in $CONCURRENCY; do
  oha -z "$DURATION" -c "$c" --no-tui --wait-ongoing-requests-after-deadline --output-format json -m POST \
    -H "Cookie: cl_session=$TOKEN" -H 'Content-Type: application/json' -d "$BODY" \
    "http://127.0.0.1:$PORT/api/charts/generate" > "$DATA/oha-$c.json"
  python3 - "$DATA/oha-$c.json" "$c" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
errors = sum(v for k, v in codes.items() if k != "200") + sum(r.get("errorDistribution", {}).values())
print(f'{sys.argv[2]:<12} {s["requestsPerSec"]:10.1f} {p["p50"]*1e3:9.2f} {p["p99"]*1e3:9.2f} {errors:9d} {codes}')
PY
done
echo "charts stored: $(curl -s "http://127.0.0.1:$PORT/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["charts_rendered"])')"
