#!/usr/bin/env bash
# The whole GPU measurement in one call (≤ 5 min): charts/s and p99 of bar 800×500, a 100k-point
# line at 2400×1600 and a 1M-point scatter (a density picture), each on the GPU and on vello_cpu
# in the same call on the same machine, one table with the adapter's name.
#
#   benches/gpu.sh build      # here (has cargo): release `throughput`, stripped, into .gpu/, and
#                             # the Vulkan loader packages into .gl/ (see ../shared/docs/gpu.md)
#   benches/gpu.sh run        # on the GPU machine (no cargo): the table
#   benches/gpu.sh            # both, on a machine that has cargo and a GPU (or lavapipe)
#
# With the device tool: `benches/gpu.sh build` here, then one `run` call carrying .gpu and .gl
# with the command `benches/gpu.sh run`. GPU_SECONDS (default 8) per cell; GPU_THREADS (default
# 4: render workers sharing the one device). Rows whose backend cannot start say why.
#
# "gpu (batched)" is not measured: charts are rendered one per submit with a blocking readback
# (issue 19 asks for batching; it is not built yet), so the GPU rows are "one at a time".
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
SECONDS_PER=${GPU_SECONDS:-8}
THREADS=${GPU_THREADS:-4}
CASES="bar_800x500 line_100k_2400x1600 scatter_1m"

build() {
  cargo build --release --locked --quiet --example throughput
  mkdir -p .gpu
  cp "${CARGO_TARGET_DIR:-target}/release/examples/throughput" .gpu/throughput
  strip .gpu/throughput
  grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo /.gpu/ >> .git/info/exclude
  if [ ! -d .gl ] && command -v apt-get >/dev/null; then
    grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo /.gl/ >> .git/info/exclude
    local lists; lists=$(mktemp -d); mkdir -p .gl "$lists/partial"
    local o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
    # shellcheck disable=SC2086
    apt-get $o update -qq
    # shellcheck disable=SC2086
    (cd .gl && apt-get $o download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  fi
  ls -la .gpu
}

run() {
  local bin=.gpu/throughput
  [ -x "$bin" ] || bin="${CARGO_TARGET_DIR:-target}/release/examples/throughput"
  [ -x "$bin" ] || { echo "no throughput binary: run '$0 build' first" >&2; exit 1; }
  # The GPU machine has the NVIDIA driver but no Vulkan loader: the packages from `build`.
  if [ -d .gl ] && ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd
  echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uptime | sed 's/.*load/load/'), ${THREADS} threads, ${SECONDS_PER} s per cell"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  printf '%-22s %-16s %-40s %10s %9s %9s\n' case backend adapter charts/s p50_ms p99_ms
  for case in $CASES; do
    for backend in gpu cpu; do
      local out
      if out=$(CLOVICHARTS_BACKEND=$backend timeout $((SECONDS_PER * 3 + 30)) \
          "$bin" "$case" "$THREADS" "$SECONDS_PER" 2>&1 | tail -1) && [[ $out == \{* ]]; then
        field() { sed -E "s/.*\"$1\":\"?([^\",}]*).*/\\1/" <<<"$out"; }
        local label=$backend
        [ "$(field backend)" = gpu ] && label="gpu (one at a time)"
        printf '%-22s %-16s %-40s %10s %9s %9s\n' "$case" "$label" "$(field adapter | cut -c1-40)" \
          "$(field charts_per_s)" "$(field p50_ms)" "$(field p99_ms)"
      else
        printf '%-22s %-16s %s\n' "$case" "$backend" "did not run: ${out:0:120}"
      fi
    done
  done
}

case "$MODE" in
  build) build ;;
  run) run ;;
  all) build; run ;;
  *) echo "usage: $0 [build|run]" >&2; exit 2 ;;
esac
