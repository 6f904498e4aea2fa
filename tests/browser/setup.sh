#!/bin/sh
# Installs what the browser test (tests/browser.rs) needs: Debian's chromium and playwright-core.
set -eu
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends chromium
fi
npm ci --no-audit --no-fund
