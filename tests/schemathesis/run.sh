#!/usr/bin/env bash
# schemathesis (PyPI) over GET /api/openapi.json against the real server, signed in.
#
# Starts the debug binary on a free 127.0.0.1 port with a temporary DATA_DIR, registers an
# account (an admin, through ADMIN_EMAILS, so the admin routes are exercised too), and runs
# schemathesis with its bearer token over every operation: no answer may be a 5xx, and every
# answer must have a documented status, content type and a body that matches its schema.
# POST /api/auth/logout would revoke the token halfway, so it runs last, on its own.
#
# Bounded: MAX_EXAMPLES cases per operation and phase (default 40), and each pass is cut at
# MAX_TIME seconds (default 170; being cut is a failure): the whole script takes under 4 minutes
# on 2 cores. The venv is created once in
# tests/schemathesis/.venv and kept. Exits non-zero on any failure. The report (JUnit XML and
# the server's log) is left in tests/schemathesis/report/.
#
# Environment: CLOVICHARTS_BIN (default: $CARGO_TARGET_DIR/debug/clovicharts, built when
# missing), MAX_EXAMPLES, MAX_TIME, SEED.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

venv="$here/.venv"
if ! "$venv/bin/python" -c 'import schemathesis' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4.32,<5'
fi

target="${CARGO_TARGET_DIR:-$root/target}"
bin="${CLOVICHARTS_BIN:-$target/debug/clovicharts}"
if [ ! -x "$bin" ]; then
  cargo build --locked --quiet --bin clovicharts
fi

report="$here/report"
rm -rf "$report"
mkdir -p "$report"
data="$(mktemp -d "${TMPDIR:-/tmp}/clovicharts-schemathesis.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
email="schemathesis@example.com"

HOST=127.0.0.1 PORT="$port" DATA_DIR="$data" CLOVICHARTS_BACKEND=cpu RENDER_WORKERS=2 \
  RATE_LIMIT_PER_MIN=0 ADMIN_EMAILS="$email" JWT_SECRET="schemathesis-$RANDOM$RANDOM" \
  RUST_LOG=warn,clovicharts=warn NO_COLOR=1 \
  "$bin" serve >"$report/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

alive() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$base/livez" 2>/dev/null
}
for _ in $(seq 1 300); do
  alive && break
  kill -0 "$server" 2>/dev/null || { cat "$report/server.log" >&2; exit 1; }
  sleep 0.1
done
alive || { echo "the server did not start" >&2; cat "$report/server.log" >&2; exit 1; }

token="$(python3 - "$base" "$email" <<'PY'
import json, sys, urllib.request
body = json.dumps({"email": sys.argv[2], "password": "schemathesis-password"}).encode()
req = urllib.request.Request(sys.argv[1] + "/api/auth/register", data=body,
                             headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=10))["access_token"])
PY
)"

common=(
  "$base/api/openapi.json"
  --url "$base"
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
  --max-examples "${MAX_EXAMPLES:-40}"
  --request-timeout 30
  --max-redirects 0
  --generation-database none
  --no-color
  --workers 2
  --seed "${SEED:-20261202}"
)

status=0
# schemathesis keeps its cache of past crashes (.schemathesis/) in the working directory.
cd "$here"
# The token is sent on every request; schemathesis leaves it in place for every operation.
timeout "${MAX_TIME:-170}" "$venv/bin/schemathesis" run "${common[@]}" \
  -H "Authorization: Bearer $token" \
  --exclude-path /api/auth/logout \
  --report junit --report-junit-path "$report/junit.xml" || status=$?
timeout 40 "$venv/bin/schemathesis" run "${common[@]}" \
  -H "Authorization: Bearer $token" \
  --include-path /api/auth/logout || status=$?

if grep -E 'panicked|request failed' "$report/server.log" >&2; then
  echo "the server logged failures (see $report/server.log)" >&2
  status=1
fi
exit "$status"
