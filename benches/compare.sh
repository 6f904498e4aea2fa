#!/usr/bin/env bash
# Side by side with the reference engine (Chart.js 4 on node-canvas, and on skia), same machine,
# same run, same cases, PNG output; bounded loops, stops by itself. Prints one table.
#
#   1. in-process: our library (spec bytes → PNG bytes) on 2 threads vs the reference's bench.js
#      as 2 processes, SECONDS_INPROC each (default 10 s);
#   2. HTTP: POST /api/charts/generate with oha, 16 clients, HTTP_DURATION each (default 20 s),
#      against our server (stores every chart: files + SQLite, render cache OFF so every request
#      renders) and the reference server (renders only);
#   3. our server at 256 clients for 10 s: only 200/503 allowed, then one request must succeed
#      at once (recovery); and the bar case again with the render cache on.
#
#   benches/compare.sh                          # ~6 min; needs oha, node, python3
#   REF_DIR=/tmp/chartjs-ref SECONDS_INPROC=5 HTTP_DURATION=10s benches/compare.sh
#
# REF_DIR is a copy of ../shared/peers/chartjs-reference with `bash setup.sh` run in it (it must
# have node_modules). Record `uptime` next to the numbers: a loaded machine slows both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

SECONDS_INPROC=${SECONDS_INPROC:-10}
HTTP_DURATION=${HTTP_DURATION:-20s}
CLIENTS=${CLIENTS:-16}
STORM_CLIENTS=${STORM_CLIENTS:-256}
PORT=${PORT:-18966}
REF_PORT=${REF_PORT:-18967}
REF_BACKENDS=${REF_BACKENDS:-"node-canvas napi-canvas"}
CASES=${CASES:-"a_bar b_line c_pie d_scatter_5000"}
if [ -z "${REF_DIR:-}" ]; then
  for d in /tmp/chartjs-ref ../shared/peers/chartjs-reference; do
    if [ -d "$d/node_modules" ]; then REF_DIR=$d; break; fi
  done
fi
for tool in oha node python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done
[ -d "${REF_DIR:-}/node_modules" ] || {
  echo "set REF_DIR to a copy of chartjs-reference where 'bash setup.sh' has run" >&2; exit 1; }
REF_DIR=$(cd "$REF_DIR" && pwd)

echo "# $(date -u +%FT%TZ) $(uptime)"
cargo build --release --quiet --bin clovicharts --example throughput
WORK=$(mktemp -d)
REF_PID=
cleanup() {
  stop_ours
  if [ -n "$REF_PID" ]; then kill "$REF_PID" 2>/dev/null || true; wait "$REF_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for c in a_bar b_line c_pie; do cp "benches/cases/$c.json" "$WORK/$c.json"; done
target/release/examples/throughput --write scatter_5000 "$WORK/d_scatter_5000.json"
ROWS=$WORK/rows.tsv
: > "$ROWS"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$ROWS"; }
json_field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"; }

# 1. In-process.
for c in $CASES; do
  f=$WORK/$c.json
  echo "in-process: $c" >&2
  out=$(target/release/examples/throughput "$f" 2 "$SECONDS_INPROC")
  read -r rate p50 p99 bytes < <(json_field "$out" charts_per_s p50_ms p99_ms png_bytes)
  row "$c" "in-process 2 threads" ours "$rate" "$p50" "$p99" "$bytes"
  for b in $REF_BACKENDS; do
    lat=$(cd "$REF_DIR" && node bench.js "$b" "$f" latency "$WORK/ref.png")
    read -r med max bytes < <(json_field "$lat" median_ms max_ms png_bytes)
    (cd "$REF_DIR" && node bench.js "$b" "$f" loop "$SECONDS_INPROC" > "$WORK/loop1.json") &
    p1=$!
    (cd "$REF_DIR" && node bench.js "$b" "$f" loop "$SECONDS_INPROC" > "$WORK/loop2.json") &
    p2=$!
    wait "$p1" "$p2"
    rate=$(python3 -c 'import json,sys; print(round(sum(json.load(open(p))["count"]/json.load(open(p))["seconds"] for p in sys.argv[1:]),1))' "$WORK/loop1.json" "$WORK/loop2.json")
    row "$c" "in-process 2 threads" "ref $b" "$rate" "$med" "$max" "$bytes"
  done
done

# 2. HTTP, 16 clients, render cache off on our side (every request renders and is stored).
start_ours "$PORT" RENDER_CACHE_MB=0
(cd "$REF_DIR" && exec env PORT="$REF_PORT" HOST=127.0.0.1 BACKEND=node-canvas node server.js >/dev/null) &
REF_PID=$!
wait_http "http://127.0.0.1:$REF_PORT/health" || { echo "reference server did not start" >&2; exit 1; }
for c in $CASES; do
  f=$WORK/$c.json
  echo "http: $c" >&2
  oha_run "$WORK/o.json" "$HTTP_DURATION" "$CLIENTS" "http://127.0.0.1:$PORT/api/charts/generate" "$f" \
    -H "Cookie: cl_session=$OURS_TOKEN"
  read -r rps p50 p99 errors codes < <(oha_fields "$WORK/o.json")
  row "$c" "http $CLIENTS clients" ours "$rps" "$p50" "$p99" "errors=$errors"
  oha_run "$WORK/r.json" "$HTTP_DURATION" "$CLIENTS" "http://127.0.0.1:$REF_PORT/api/charts/generate" "$f"
  read -r rps p50 p99 errors codes < <(oha_fields "$WORK/r.json")
  row "$c" "http $CLIENTS clients" "ref node-canvas" "$rps" "$p50" "$p99" "errors=$errors"
done
kill "$REF_PID" 2>/dev/null || true; wait "$REF_PID" 2>/dev/null || true; REF_PID=

# 3. Overload: only 200/503, then recovery at once.
echo "http: $STORM_CLIENTS clients" >&2
oha_run "$WORK/s.json" 10s "$STORM_CLIENTS" "http://127.0.0.1:$PORT/api/charts/generate" "$WORK/a_bar.json" \
  -H "Cookie: cl_session=$OURS_TOKEN"
read -r rps p50 p99 errors codes < <(oha_fields "$WORK/s.json")
storm_ok=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r.get("statusCodeDistribution",{}); e=sum(r.get("errorDistribution",{}).values()); print("yes" if e==0 and set(c)<={"200","503"} else "NO")' "$WORK/s.json")
recovery=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
  -H "Cookie: cl_session=$OURS_TOKEN" --data-binary "@$WORK/a_bar.json" "http://127.0.0.1:$PORT/api/charts/generate")
stop_ours

# The bar case with the render cache on (dashboards re-rendering the same chart).
start_ours "$PORT"
oha_run "$WORK/c.json" "$HTTP_DURATION" "$CLIENTS" "http://127.0.0.1:$PORT/api/charts/generate" "$WORK/a_bar.json" \
  -H "Cookie: cl_session=$OURS_TOKEN"
read -r crps cp50 cp99 cerrors ccodes < <(oha_fields "$WORK/c.json")
row a_bar "http $CLIENTS clients, cache on" ours "$crps" "$cp50" "$cp99" "errors=$cerrors"
stop_ours

python3 - "$ROWS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
fmt = "{:<16} {:<32} {:<16} {:>10} {:>9} {:>9} {:>10} {:>8} {:>7}"
print(fmt.format("case", "mode", "engine", "charts/s", "p50 ms", "p99 ms", "bytes", "speed x", "bytes x"))
ours = {(r[0], r[1]): r for r in rows if r[2] == "ours"}
for r in rows:
    speed = size = ""
    o = ours.get((r[0], r[1]))
    if r[2] != "ours" and o:
        speed = f"{float(o[3]) / max(float(r[3]), 1e-9):.1f}"
        if o[6].isdigit() and r[6].isdigit():
            size = f"{int(o[6]) / int(r[6]):.2f}"
    print(fmt.format(r[0], r[1], r[2], r[3], f"{float(r[4]):.2f}", f"{float(r[5]):.2f}", r[6], speed, size))
print("(ref in-process p99 column is the max of its 20-sample latency run; speed x and bytes x are ours / that row)")
PY
echo "$STORM_CLIENTS clients, 10 s: $rps req/s, statuses $codes, only 200/503 and no transport errors: $storm_ok"
echo "first request after the overload: HTTP ${recovery% *} in ${recovery#* } s"
echo "# $(uptime)"
