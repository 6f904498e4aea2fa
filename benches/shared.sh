#!/usr/bin/env bash
# HTTP generate throughput and latency on the shared setups, from one run: SQLite + local disk
# (one instance), then PostgreSQL + Redis + file storage and PostgreSQL + Redis + S3 (s3s-fs),
# each with one instance and with two behind no proxy (half the clients on each). Every request
# renders and stores (render cache off), `POST /api/charts/generate` with the 4-bar case, oha.
# Bounded: 5 runs of DURATION each (default 10 s); stops by itself.
#
#   benches/shared.sh          # needs oha, psql (PostgreSQL on 127.0.0.1:5432, trust auth),
#                              # Redis on 127.0.0.1:6379, s3s-fs (cargo install s3s-fs --features binary)
#   DURATION=5s CLIENTS=16 benches/shared.sh
#
# Record `uptime` with the numbers: both instances and the services share this machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

DURATION=${DURATION:-10s}
CLIENTS=${CLIENTS:-16}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
REDIS=${REDIS:-redis://127.0.0.1:6379}
for tool in oha psql python3 curl s3s-fs; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done

echo "# $(date -u +%FT%TZ) $(uptime)"
cargo build --release --quiet --bin clovicharts
WORK=$(mktemp -d)
PIDS=()
S3_PID=
DBS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$S3_PID" ]; then kill "$S3_PID" 2>/dev/null || true; wait "$S3_PID" 2>/dev/null || true; fi
  for d in "${DBS[@]}"; do psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
export JWT_SECRET=clovicharts-bench-secret-0123456789abcdef
TOKEN=$(DATA_DIR=$WORK target/release/clovicharts token --user 1 --role user)

# instance PORT DATA_DIR [ENV=VALUE ...]: one server in the background.
instance() {
  local port=$1 data=$2; shift 2
  mkdir -p "$data"
  env HOST=127.0.0.1 PORT="$port" DATA_DIR="$data" RATE_LIMIT_PER_MIN=0 RENDER_CACHE_MB=0 \
    RUST_LOG=warn CLOVICHARTS_BACKEND=cpu "$@" target/release/clovicharts serve &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$port/health" || { echo "instance on $port did not start" >&2; exit 1; }
}

stop_all() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
}

fresh_db() {
  local name="clovicharts_bench_$1_$$"
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  DBS+=("$name")
  echo "$PG/$name"
}

# load SETUP N PORT...: CLIENTS in all, split over the ports; one row.
load() {
  local setup=$1 n=$2; shift 2
  local per=$((CLIENTS / n)) i=0 outs=() loads=()
  for port in "$@"; do
    oha_run "$WORK/oha-$i.json" "$DURATION" "$per" "http://127.0.0.1:$port/api/charts/generate" \
      benches/cases/a_bar.json -H "Cookie: cl_session=$TOKEN" &
    loads+=($!)
    outs+=("$WORK/oha-$i.json"); i=$((i + 1))
  done
  wait "${loads[@]}"
  python3 - "$setup" "$n" "$per" "${outs[@]}" <<'PY'
import json, sys
setup, n, per, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rs = [json.load(open(f)) for f in files]
rps = sum(r["summary"]["requestsPerSec"] for r in rs)
p50 = max((r["latencyPercentiles"]["p50"] or 0) * 1e3 for r in rs)
p99 = max((r["latencyPercentiles"]["p99"] or 0) * 1e3 for r in rs)
codes = {}
for r in rs:
    for k, v in r.get("statusCodeDistribution", {}).items():
        codes[k] = codes.get(k, 0) + v
bad = sum(v for k, v in codes.items() if k != "200") + sum(sum(r.get("errorDistribution", {}).values()) for r in rs)
print(f"| {setup} | {n} | {int(per) * int(n)} | {rps:.1f} | {p50:.1f} | {p99:.1f} | {bad} |")
PY
}

echo "| setup | instances | clients | req/s | p50 ms (worst) | p99 ms (worst) | non-200 |"
echo "|---|---|---|---|---|---|---|"

# 1. The embedded default.
instance 18970 "$WORK/sqlite"
load "SQLite + local disk" 1 18970
stop_all

# 2. PostgreSQL + Redis + a shared directory.
for n in 1 2; do
  db=$(fresh_db "file$n")
  shared="$WORK/shared-file-$n"
  mkdir -p "$shared"
  ports=()
  for k in $(seq "$n"); do
    port=$((18970 + k))
    instance "$port" "$WORK/file-$n-$k" DATABASE_URL="$db" REDIS_URL="$REDIS" \
      REDIS_KEY_PREFIX="bench$$:" STORAGE_URL="file://$shared"
    ports+=("$port")
  done
  load "PostgreSQL + Redis + file" "$n" "${ports[@]}"
  stop_all
done

# 3. PostgreSQL + Redis + S3 (s3s-fs over a temp directory).
S3_PORT=18980
mkdir -p "$WORK/s3/charts"
s3s-fs --host 127.0.0.1 --port "$S3_PORT" --access-key bench-key --secret-key bench-secret-0123456789 \
  "$WORK/s3" >/dev/null 2>&1 &
S3_PID=$!
sleep 1
for n in 1 2; do
  db=$(fresh_db "s3$n")
  ports=()
  for k in $(seq "$n"); do
    port=$((18970 + k))
    instance "$port" "$WORK/s3-$n-$k" DATABASE_URL="$db" REDIS_URL="$REDIS" \
      REDIS_KEY_PREFIX="bench$$:" AWS_ACCESS_KEY_ID=bench-key AWS_SECRET_ACCESS_KEY=bench-secret-0123456789 \
      STORAGE_URL="s3://charts/run$n?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1"
    ports+=("$port")
  done
  load "PostgreSQL + Redis + S3 (s3s-fs)" "$n" "${ports[@]}"
  stop_all
done
