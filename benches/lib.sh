# Shared by http_load.sh, compare.sh and soak.sh (source it; not run on its own): start and stop
# a release `clovicharts serve` on 127.0.0.1 with a fresh data dir, and summarise oha's JSON.

# start_ours PORT [ENV=VALUE ...]: starts the server in the background (rate limit off, CPU
# backend unless CLOVICHARTS_BACKEND is set), waits for /health, sets OURS_PID, OURS_DATA and
# OURS_TOKEN (a user session cookie value).
start_ours() {
  local port=$1; shift
  OURS_DATA=$(mktemp -d)
  env HOST=127.0.0.1 PORT="$port" DATA_DIR="$OURS_DATA" RATE_LIMIT_PER_MIN=0 RUST_LOG=warn \
    CLOVICHARTS_BACKEND="${CLOVICHARTS_BACKEND:-cpu}" "$@" target/release/clovicharts serve &
  OURS_PID=$!
  wait_http "http://127.0.0.1:$port/health" || { echo "our server did not start" >&2; return 1; }
  OURS_TOKEN=$(DATA_DIR=$OURS_DATA target/release/clovicharts token --user 1 --role user)
}

# stop_ours: SIGTERM, wait, remove the data dir.
stop_ours() {
  if [ -n "${OURS_PID:-}" ]; then
    kill "$OURS_PID" 2>/dev/null || true
    wait "$OURS_PID" 2>/dev/null || true
    OURS_PID=
  fi
  if [ -n "${OURS_DATA:-}" ]; then rm -rf "$OURS_DATA"; OURS_DATA=; fi
}

# wait_http URL: polls up to 20 s for a 2xx.
wait_http() {
  for _ in $(seq 200); do
    curl -sf "$1" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# oha_run OUT.json DURATION CLIENTS URL BODY_FILE [extra oha args...]: one bounded POST run.
oha_run() {
  local out=$1 duration=$2 clients=$3 url=$4 body=$5; shift 5
  oha -z "$duration" -c "$clients" --no-tui --wait-ongoing-requests-after-deadline \
    --output-format json -m POST -H 'Content-Type: application/json' -D "$body" "$@" "$url" > "$out"
}

# oha_fields OUT.json: prints "req/s p50_ms p99_ms errors statuses" (errors: any non-200 status
# or transport error).
oha_fields() {
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
errs = sum(r.get("errorDistribution", {}).values())
bad = sum(v for k, v in codes.items() if k != "200") + errs
print(f'{s["requestsPerSec"]:.1f} {(p["p50"] or 0)*1e3:.2f} {(p["p99"] or 0)*1e3:.2f} {bad} '
      + ",".join(f"{k}:{v}" for k, v in sorted(codes.items())) + (f",transport:{errs}" if errs else ""))
PY
}
