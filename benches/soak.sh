#!/usr/bin/env bash
# Memory soak: POST /api/charts/generate at 16 clients for SOAK_SECONDS (default 600 = 10 min)
# against a release `clovicharts serve` (render cache off, so every request renders and is
# stored), cycling the bar, line and pie cases; records the server's RSS each minute and
# compares the end with minute 1 (target: within 10 %). Bounded; stops by itself.
#
#   benches/soak.sh                         # ~10.5 min; needs oha, python3
#   SOAK_SECONDS=120 benches/soak.sh        # a short check
#
# Disk: every chart is stored (~12 KB each); a 10-minute run at ~1,000 req/s writes a few GB
# into a temp dir that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

SOAK_SECONDS=${SOAK_SECONDS:-600}
CLIENTS=${CLIENTS:-16}
PORT=${PORT:-18968}
for tool in oha python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done

echo "# $(date -u +%FT%TZ) $(uptime)"
cargo build --release --quiet --bin clovicharts
trap stop_ours EXIT
start_ours "$PORT" RENDER_CACHE_MB=0
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$OURS_PID/status"; }

# Three oha streams (one per case) share the clients; each runs the whole soak.
per=$(( (CLIENTS + 2) / 3 ))
pids=()
for c in a_bar b_line c_pie; do
  oha_run "$OURS_DATA/soak-$c.json" "${SOAK_SECONDS}s" "$per" \
    "http://127.0.0.1:$PORT/api/charts/generate" "benches/cases/$c.json" \
    -H "Cookie: cl_session=$OURS_TOKEN" &
  pids+=($!)
done

start=$(date +%s)
rss_first=
printf '%8s %10s\n' minute "RSS KiB"
minute=0
while :; do
  sleep 5
  now=$(date +%s)
  elapsed=$(( now - start ))
  if [ "$elapsed" -ge $(( (minute + 1) * 60 )) ] && [ "$elapsed" -le "$SOAK_SECONDS" ]; then
    minute=$(( minute + 1 ))
    rss=$(rss_kb)
    printf '%8s %10s\n' "$minute" "$rss"
    [ -z "$rss_first" ] && rss_first=$rss
  fi
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
done
wait "${pids[@]}" || true
rss_end=$(rss_kb)
rss_first=${rss_first:-$rss_end}
for c in a_bar b_line c_pie; do
  read -r rps p50 p99 errors codes < <(oha_fields "$OURS_DATA/soak-$c.json")
  echo "$c: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors ($codes)"
done
python3 - "$rss_first" "$rss_end" <<'PY'
import sys
a, b = int(sys.argv[1]), int(sys.argv[2])
change = (b - a) / a * 100
print(f"RSS after minute 1: {a} KiB; at the end: {b} KiB; change {change:+.1f} % "
      f"({'within' if abs(change) <= 10 else 'OUTSIDE'} 10 %)")
PY
echo "# $(uptime)"
