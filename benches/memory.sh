#!/usr/bin/env bash
# Peak memory against points, through a release `clovicharts serve` on 127.0.0.1: each row starts
# a fresh server (so its peak RSS, VmHWM, belongs to that row alone), warms it with a small chart,
# then POSTs /api/charts/generate bodies shaped as clients send them and reads the peak.
#
#   benches/memory.sh              # ~2 min; needs python3
#   MEMORY_BIN=target/release/clovicharts benches/memory.sh   # a binary built already
#
# Rows: a 1k-point line with labels, a 1M-point line with labels (minute timestamps, as a
# monitoring client sends them), 1M and 10M plain numbers (a 10M series with labels is past the
# default 64 MB body limit), and 4 concurrent 10M-point requests (the memory budget,
# MEMORY_BUDGET_MB, admits what fits and answers the rest 503 OVERLOADED with Retry-After).
# Columns: body MB, seconds per request, statuses, peak RSS, peak over the warm baseline, that
# as bytes per point and as a multiple of the body size.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 1; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uptime | sed 's/.*load/load/'), $(git rev-parse --short HEAD)"
if [ -z "${MEMORY_BIN:-}" ]; then
  cargo build --release --locked --quiet --bin clovicharts
fi
BIN="${MEMORY_BIN:-${CARGO_TARGET_DIR:-target}/release/clovicharts}" exec python3 - <<'PY'
import datetime, http.client, json, math, os, shutil, socket, subprocess, tempfile, threading, time

BIN = os.environ["BIN"]

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def status_kb(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0

class Server:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="clovi-mem-")
        self.port = free_port()
        env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), DATA_DIR=self.data,
                   RATE_LIMIT_PER_MIN="0", CLOVICHARTS_BACKEND="cpu", RUST_LOG="warn")
        self.log = open(os.path.join(self.data, "server.log"), "wb")
        # The token first: it writes the DATA_DIR's signing secret, which the server then loads
        # (minted after the start, it raced the server's own first write of that file).
        self.cookie = "cl_session=" + subprocess.check_output(
            [BIN, "token", "--user", "1"], env=env, stderr=subprocess.DEVNULL).decode().strip()
        self.proc = subprocess.Popen([BIN, "serve"], env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.post(b'{"type":"bar","data":{"labels":["a"],"datasets":[{"data":[1]}]}}')[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("the server did not start")

    def post(self, body, timeout=120):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request("POST", "/api/charts/generate", body=body,
                  headers={"Content-Type": "application/json", "Cookie": self.cookie})
        r = c.getresponse(); r.read(); c.close()
        return r.status, r.getheader("Retry-After")

    def stop(self):
        self.proc.terminate(); self.proc.wait(15); shutil.rmtree(self.data, ignore_errors=True)

def line(n, labels):
    values = ",".join(f"{40 * math.sin(i * 1e-4) + (i * 7919) % 13:.2f}" for i in range(n))
    body = '{"type":"line","data":{'
    if labels:
        start = datetime.datetime(2024, 1, 1)
        body += '"labels":[' + ",".join(
            '"' + (start + datetime.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M") + '"'
            for i in range(n)) + '],'
    body += '"datasets":[{"label":"Signal","data":[' + values + ']}]},'
    body += '"options":{"width":800,"height":500,"title":"Requests per minute"}}'
    return body.encode()

rows = []
def row(name, n, body, clients=1):
    s = Server()
    try:
        base = status_kb(s.proc.pid, "VmRSS")
        results = []
        def send():
            t = time.time(); st, retry = s.post(body); results.append((st, retry, time.time() - t))
        threads = [threading.Thread(target=send) for _ in range(clients)]
        [t.start() for t in threads]; [t.join() for t in threads]
        peak = status_kb(s.proc.pid, "VmHWM")
    finally:
        s.stop()
    statuses = ", ".join(f"{k}x{v}" for k, v in sorted(
        {f"{st}{'+Retry-After' if r else ''}": sum(1 for x in results if (x[0], bool(x[1])) == (st, bool(r)))
         for st, r, _ in results}.items()))
    over = (peak - base) * 1024
    points = n * sum(1 for r in results if r[0] == 200)
    rows.append((name, f"{len(body) / 1e6:.1f}", f"{max(r[2] for r in results):.2f}", statuses,
                 f"{peak / 1024:.0f}", f"{over / 1e6:.0f}",
                 f"{over / points:.0f}" if points else "-",
                 f"{over / (len(body) * max(1, sum(1 for r in results if r[0] == 200))):.2f}"))
    print("\t".join(rows[-1]), flush=True)

print("case\tbody MB\tslowest s\tstatuses\tpeak RSS MB\tover baseline MB\tB/point\tx body")
row("line 1k + labels", 1_000, line(1_000, True))
row("line 1M + labels", 1_000_000, line(1_000_000, True))
row("line 1M numbers", 1_000_000, line(1_000_000, False))
ten = line(10_000_000, False)
row("line 10M numbers", 10_000_000, ten)
row("4 x line 10M at once", 10_000_000, ten, clients=4)
PY
