#!/usr/bin/env bash
# Reliability attacks of issue 13 against a release `clovicharts serve` on 127.0.0.1, each
# bounded in time, then one table: test | tried | result | nothing lost.
#
#   benches/reliability.sh            # ~3 min; needs python3 and curl; root for the tmpfs row
#
# "nothing lost": after the attack the server still answers /livez, a normal chart generates,
# and every chart acknowledged before the attack is still listed and served.
# Rows: slowloris heads, an idle flood of 20,000 connections, a declared 10 GB body, a stalled
# body, 100 parallel wrong passwords, 8 concurrent 10M-point generates (peak RSS), a full disk
# (tmpfs; skipped without mount rights), SIGTERM with half-sent requests, /readyz with the only
# render worker saturated.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done
# RELIABILITY_PROFILE=dev uses the dev profile's binary instead (slower renders, the same limits
# and timeouts); RELIABILITY_BIN=PATH runs a binary built already.
PROFILE="${RELIABILITY_PROFILE:-release}"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uptime | sed 's/.*load/load/'), ${RELIABILITY_BIN:-profile $PROFILE}"
if [ -n "${RELIABILITY_BIN:-}" ]; then
  DIR=given  # a binary built already (RELIABILITY_BIN=path), no build here
elif [ "$PROFILE" = release ]; then
  cargo build --release --locked --quiet --bin clovicharts
  DIR=release
else
  cargo build --locked --quiet --bin clovicharts
  DIR=debug
fi
BIN="${RELIABILITY_BIN:-${CARGO_TARGET_DIR:-target}/$DIR/clovicharts}" exec python3 - <<'PY'
import http.client, json, os, random, resource, signal, socket, subprocess, sys, tempfile, threading, time

BIN = os.environ["BIN"]
JWT = "reliability-jwt-secret-0123456789"
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
rows = []

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Server:
    def __init__(self, data=None, **env):
        self.data = data or tempfile.mkdtemp(prefix="clovi-rel-")
        self.port = free_port()
        e = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), DATA_DIR=self.data,
                 JWT_SECRET=JWT, RATE_LIMIT_PER_MIN="0", CLOVICHARTS_BACKEND="cpu", RUST_LOG="warn")
        e.update({k: str(v) for k, v in env.items()})
        self.log = open(os.path.join(tempfile.gettempdir(), f"clovi-rel-{self.port}.log"), "wb")
        self.proc = subprocess.Popen([BIN, "serve"], env=e, stdout=self.log, stderr=self.log)
        self.cookie = "cl_session=" + subprocess.check_output(
            [BIN, "token", "--user", "42"], env=e).decode().strip()
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.request("GET", "/livez", timeout=1)[0] == 200:
                return
            time.sleep(0.05)
        raise SystemExit(f"server on {self.data} did not start")

    def request(self, method, path, body=None, headers=None, timeout=30):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            h = {"Cookie": self.cookie} if hasattr(self, "cookie") else {}
            if body is not None:
                h["Content-Type"] = "application/json"
            h.update(headers or {})
            c.request(method, path, body=body, headers=h)
            r = c.getresponse(); data = r.read(); c.close()
            return r.status, data, dict(r.getheaders())
        except Exception as e:
            return 0, str(e).encode(), {}

    def generate(self, spec):
        return self.request("POST", "/api/charts/generate", json.dumps(spec).encode())

    def rss_peak_mb(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill(); self.proc.wait()

BAR = {"type": "bar", "data": {"labels": ["a", "b", "c"], "datasets": [{"data": [1, 2, 3]}]}}

def acknowledged(s, n=5):
    ids = []
    for i in range(n):
        spec = json.loads(json.dumps(BAR)); spec["options"] = {"title": f"before {i} {random.random()}"}
        st, body, _ = s.generate(spec)
        if st == 200:
            ids.append(json.loads(body)["chart_id"])
    return ids

def nothing_lost(s, ids):
    if s.request("GET", "/livez", timeout=5)[0] != 200:
        return "no: /livez"
    st, _, _ = s.generate(BAR)
    if st != 200:
        return f"no: generate {st}"
    for i in ids:
        if s.request("GET", f"/api/charts/{i}")[0] != 200 or s.request("GET", f"/charts/{i}.png")[0] != 200:
            return f"no: chart {i} missing"
    return f"yes ({len(ids)} charts kept)"

def raw(port, data):
    c = socket.create_connection(("127.0.0.1", port)); c.sendall(data); return c

def read_all(c, timeout):
    c.settimeout(timeout); out = b""
    try:
        while True:
            b = c.recv(65536)
            if not b:
                return out, True
            out += b
    except (socket.timeout, ConnectionResetError):
        return out, False
    except OSError:
        return out, True

def status_code(resp):
    try:
        return int(resp.split(b" ")[1])
    except Exception:
        return 0

main = Server()
ids = acknowledged(main)

# 1. slowloris: 500 connections sending one header line a second, never the blank line.
def slowloris(n=500, seconds=35):
    conns = [raw(main.port, b"GET /health HTTP/1.1\r\nHost: x\r\n") for _ in range(n)]
    start = time.time(); closed_at = {}
    health = []
    while time.time() - start < seconds and len(closed_at) < n:
        for i, c in enumerate(conns):
            if i in closed_at:
                continue
            try:
                c.sendall(b"X-a: b\r\n")
                c.setblocking(False)
                try:
                    if c.recv(1) == b"":
                        closed_at[i] = time.time() - start
                except BlockingIOError:
                    pass
                finally:
                    c.setblocking(True)
            except OSError:
                closed_at[i] = time.time() - start
        t = time.time(); st = main.request("GET", "/livez", timeout=5)[0]; health.append((st, time.time() - t))
        time.sleep(1)
    for c in conns:
        c.close()
    worst = max(closed_at.values(), default=float("inf"))
    ok_health = sum(1 for st, _ in health if st == 200)
    return (f"{n} conns, 1 header line/s",
            f"{len(closed_at)}/{n} dropped, last at {worst:.1f} s; /livez {ok_health}/{len(health)} ok, "
            f"max {max(d for _, d in health)*1e3:.0f} ms")
rows.append(("slowloris heads", *slowloris(), nothing_lost(main, ids)))

# 2. idle flood: 20,000 connections that send nothing (fewer when this process's own fd limit
# is lower: the client needs one fd per connection too).
def idle_flood(n=min(20000, hard - 256)):
    conns = []; refused = 0
    start = time.time()
    for _ in range(n):
        try:
            conns.append(socket.create_connection(("127.0.0.1", main.port), timeout=2))
        except OSError:
            refused += 1
    opened = time.time() - start
    fds = main.fds()
    t = time.time(); st, body, _ = main.request("GET", "/health", timeout=10); health_ms = (time.time() - t) * 1e3
    for c in conns:
        c.close()
    return (f"{n} idle TCP connections in {opened:.1f} s",
            f"server fds {fds}, /health {st} in {health_ms:.0f} ms, {refused} connects failed")
rows.append(("idle flood", *idle_flood(), nothing_lost(main, ids)))

# 3. a declared 10 GB body.
def ten_gb():
    t = time.time()
    c = raw(main.port, b"POST /api/charts/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10737418240\r\n\r\n{\"type\":")
    resp, closed = read_all(c, 5); c.close()
    code = json.loads(resp.split(b"\r\n\r\n", 1)[1] or b"{}").get("code") if b"\r\n\r\n" in resp else None
    return ("Content-Length: 10737418240",
            f"{status_code(resp)} {code} in {(time.time()-t)*1e3:.0f} ms, closed={closed}")
rows.append(("10 GB Content-Length", *ten_gb(), nothing_lost(main, ids)))

# 4. a stalled body (BODY_READ_TIMEOUT_MS default 30 s).
def stalled_body():
    t = time.time()
    c = raw(main.port, b"POST /api/charts/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Cookie: " + main.cookie.encode() + b"\r\nContent-Length: 100000\r\n\r\n{\"type\":\"bar\",")
    resp, closed = read_all(c, 40); c.close()
    return ("100 KB declared, 14 bytes sent", f"{status_code(resp)} after {time.time()-t:.1f} s, closed={closed}")
rows.append(("stalled body", *stalled_body(), nothing_lost(main, ids)))

# 5. 100 parallel wrong passwords for one account.
def brute_force():
    st, _, _ = main.request("POST", "/api/auth/register",
                            json.dumps({"email": "victim@example.com", "password": "correct horse battery"}).encode())
    results = []
    def attempt(i):
        results.append(main.request("POST", "/api/auth/login",
            json.dumps({"email": "victim@example.com", "password": f"wrong guess {i}"}).encode())[0])
    ts = [threading.Thread(target=attempt, args=(i,)) for i in range(100)]
    [t.start() for t in ts]; [t.join() for t in ts]
    counts = {k: results.count(k) for k in sorted(set(results))}
    return ("100 parallel logins, wrong password", f"{counts.get(401, 0)} verified (401); statuses {counts}")
rows.append(("login brute force", *brute_force(), nothing_lost(main, ids)))

# 6. memory admission: 8 concurrent 10M-point generates.
def memory_admission():
    body = ('{"type":"line","data":{"datasets":[{"data":[' +
            ",".join(str(i % 1000) for i in range(10_000_000)) + ']}]}}').encode()
    base = main.rss_peak_mb()
    results = []
    def send():
        st, data, h = main.request("POST", "/api/charts/generate", body, timeout=120)
        results.append((st, "retry-after" in {k.lower() for k in h}))
    t = time.time()
    ts = [threading.Thread(target=send) for _ in range(8)]
    [x.start() for x in ts]; [x.join() for x in ts]
    took = time.time() - t
    peak = main.rss_peak_mb()
    ok = sum(1 for st, _ in results if st == 200)
    busy = sum(1 for st, ra in results if st == 503 and ra)
    other = len(results) - ok - busy
    return (f"8 x {len(body)/1e6:.0f} MB bodies at once",
            f"{ok} x 200, {busy} x 503+Retry-After, {other} other in {took:.1f} s; peak RSS {peak:.0f} MB "
            f"(before {base:.0f} MB)")
rows.append(("8 x 10M points", *memory_admission(), nothing_lost(main, ids)))
main.stop()

# 7. disk full on a 3 MB tmpfs, then a restart on the full disk.
def disk_full():
    mnt = tempfile.mkdtemp(prefix="clovi-tmpfs-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt],
                      capture_output=True).returncode != 0:
        return ("3 MB tmpfs", "SKIPPED: cannot mount a tmpfs (needs root)", "-")
    try:
        data = os.path.join(mnt, "data")
        s = Server(data, RENDER_CACHE_MB=0)
        kept = acknowledged(s, 3)
        with open(os.path.join(mnt, "filler"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536); f.flush()
            except OSError:
                pass
        codes = [s.generate(BAR)[0] for _ in range(10)]
        files = len([n for n in os.listdir(os.path.join(data, "charts")) if not n.startswith("example_")])
        ready = s.request("GET", "/readyz")[0]
        lost = nothing_lost_reads(s, kept)
        s.stop()
        s = Server(data, RENDER_CACHE_MB=0)
        again = s.generate(BAR)[0]
        reads = nothing_lost_reads(s, kept)
        s.stop()
        return ("10 generates on a full 3 MB tmpfs, then a restart",
                f"{codes.count(507)}/10 x 507, {files} files for {len(kept)} charts, /readyz {ready}; "
                f"restarted: generate {again}", f"{lost}; after restart {reads}")
    finally:
        subprocess.run(["umount", "-l", mnt])

def nothing_lost_reads(s, ids):
    for i in ids:
        if s.request("GET", f"/api/charts/{i}")[0] != 200 or s.request("GET", f"/charts/{i}.png")[0] != 200:
            return f"no: chart {i} unreadable"
    return f"yes ({len(ids)} charts readable)"
rows.append(("disk full", *disk_full()))

# 8. SIGTERM with a half-sent head, a half-sent body and an idle connection.
def sigterm():
    s = Server(SHUTDOWN_GRACE_MS=3000)
    kept = acknowledged(s, 3)
    a = raw(s.port, b"POST /api/charts/generate HTTP/1.1\r\nHost: x\r\n")
    b = raw(s.port, b"POST /api/charts/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Cookie: " + s.cookie.encode() + b"\r\nContent-Length: 1000\r\n\r\n{\"type\":")
    c = socket.create_connection(("127.0.0.1", s.port))
    time.sleep(0.3)
    t = time.time(); s.proc.send_signal(signal.SIGTERM)
    try:
        rc = s.proc.wait(20); took = time.time() - t
    except subprocess.TimeoutExpired:
        rc, took = None, float("inf"); s.proc.kill()
    for x in (a, b, c):
        x.close()
    s2 = Server(s.data)
    lost = nothing_lost(s2, kept); s2.stop()
    return ("SIGTERM, grace 3 s, 2 half-sent requests", f"exit {rc} after {took:.2f} s", lost)
rows.append(("SIGTERM half-sent", *sigterm()))

# 9. /readyz while the only render worker is saturated with the largest images.
def readyz_blocked():
    s = Server(RENDER_WORKERS=1, READY_RENDER_TIMEOUT_MS=300, RENDER_CACHE_MB=0)
    kept = acknowledged(s, 3)
    before = s.request("GET", "/readyz")[0]
    stop = threading.Event()
    def load(k):
        i = 0
        while not stop.is_set():
            i += 1
            pts = [{"x": (j * 7919 + i * 31 + k) % 10007, "y": (j * 104729 + i) % 9973} for j in range(20000)]
            s.generate({"type": "scatter", "data": {"datasets": [{"data": pts}]},
                        "options": {"width": 2400, "height": 1600}})
    ts = [threading.Thread(target=load, args=(k,)) for k in range(3)]
    [t.start() for t in ts]
    time.sleep(1.5)
    during = [s.request("GET", "/readyz") for _ in range(5)]
    live = s.request("GET", "/livez")[0]
    stop.set(); [t.join() for t in ts]
    failing = [json.loads(b).get("details", {}).get("failing") for st, b, _ in during if st == 503]
    deadline = time.time() + 30
    while time.time() < deadline and s.request("GET", "/readyz")[0] != 200:
        time.sleep(0.2)
    after = s.request("GET", "/readyz")[0]
    lost = nothing_lost(s, kept); s.stop()
    return ("1 worker, 3 clients of 2400x1600 scatters",
            f"/readyz before {before}, during {[st for st, _, _ in during]} failing {failing[:1]}, "
            f"/livez {live}, after {after}", lost)
rows.append(("readyz, pool saturated", *readyz_blocked()))

w = [max(len(str(r[i])) for r in rows + [("test", "tried", "result", "nothing lost")]) for i in range(4)]
line = lambda r: "| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(r)) + " |"
print(line(("test", "tried", "result", "nothing lost")))
print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in rows:
    print(line(r))
PY
