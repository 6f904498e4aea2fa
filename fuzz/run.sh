#!/usr/bin/env bash
# Runs each cargo-fuzz target for a bounded time, seeded with the test specs and the hostile
# corpus, and copies what it finds to tests/fuzz_regressions/ (replayed by `cargo test --test
# fuzz_regressions` on stable). Exits 1 when anything was found. CI runs it with SECS=60.
#
#   fuzz/run.sh            # 60 s per target
#   SECS=600 fuzz/run.sh   # longer
#   fuzz/run.sh pipeline   # one target
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain; without nightly the
# stable compiler is used with RUSTC_BOOTSTRAP=1 (libFuzzer's instrumentation needs -Z flags).
# SANITIZER=none (default: the crate is safe Rust, and ASan would triple the build and run time)
# or address. The build goes to FUZZ_TARGET_DIR (default ~/.cache/clovicharts/fuzz-target),
# outside the checkout and kept between runs.
set -euo pipefail
cd "$(dirname "$0")"
secs="${SECS:-60}"
sanitizer="${SANITIZER:-none}"
# Its own folder, whatever CARGO_TARGET_DIR says: the instrumented release build shares nothing
# with the main one, and mixing them would rebuild every dependency each time.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/clovicharts/fuzz-target}"
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi
targets=("$@")
((${#targets[@]})) || targets=(parse_spec pipeline url_literal)
repo="$(cd .. && pwd)"
found=0
for t in "${targets[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  cp -n "$repo"/tests/specs/*.json "$corpus"/ 2>/dev/null || true
  cp -n "$repo"/tests/hostile/bodies/*.json "$corpus"/ 2>/dev/null || true
  echo "==> $t for ${secs}s"
  # -timeout: a single input past 10 s is a hang (the server's deadline is 5 s);
  # -rss_limit_mb: one spec may not take gigabytes.
  cargo "${toolchain[@]}" fuzz run --sanitizer "$sanitizer" "$t" "$corpus" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="artifacts/$t/" || true
  for f in artifacts/"$t"/*; do
    [ -f "$f" ] || continue
    found=$((found + 1))
    cp "$f" "$repo/tests/fuzz_regressions/$t-$(basename "$f").bin"
    echo "   finding: $f -> tests/fuzz_regressions/"
  done
done
echo "==> done: $found finding(s)"
[ "$found" -eq 0 ]
