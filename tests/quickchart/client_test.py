"""Drives the official `quickchart-io` client (PyPI) against a clovicharts server.

Usage: client_test.py HOST:PORT OUT_DIR. Only the client's host and scheme are changed, as a
user migrating from quickchart.io would. Exits non-zero with the reason on the first failure
and prints one `ok <check>` line per passed check.
"""

import os
import sys
import urllib.request

from quickchart import QuickChart, QuickChartFunction

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "webp": b"RIFF"}


def config():
    return {
        "type": "bar",
        "data": {
            "labels": ["Q1", "Q2", "Q3", "Q4"],
            "datasets": [{"label": "Revenue", "data": [120, 190, 150, 220]}],
        },
        "options": {
            "scales": {
                "yAxes": [
                    {
                        "ticks": {
                            "callback": QuickChartFunction(
                                "function(value) { return '$' + value; }"
                            )
                        }
                    }
                ]
            },
            "plugins": {
                "tooltip": {
                    "callbacks": {"label": QuickChartFunction("(ctx) => ctx.raw + ' USD'")}
                }
            },
        },
    }


def check(fmt, data, what):
    magic = MAGIC[fmt]
    if not data.startswith(magic):
        raise SystemExit(f"{what} ({fmt}): not a {fmt}: {data[:16]!r}")
    if fmt == "webp" and data[8:12] != b"WEBP":
        raise SystemExit(f"{what} (webp): RIFF but not WEBP: {data[:16]!r}")
    print(f"ok {what} {fmt} ({len(data)} bytes)")


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        if r.status != 200:
            raise SystemExit(f"GET {url[:80]}: {r.status}")
        return r.read()


def main():
    host, out = sys.argv[1], sys.argv[2]
    for fmt in ("png", "webp"):
        qc = QuickChart()
        qc.scheme = "http"
        qc.host = host
        qc.width = 500
        qc.height = 300
        qc.format = fmt
        qc.config = config()

        url = qc.get_url()
        if not url.startswith(f"http://{host}/chart?"):
            raise SystemExit(f"get_url: unexpected {url[:80]}")
        check(fmt, fetch(url), "get_url")
        check(fmt, qc.get_bytes(), "get_bytes")
        path = os.path.join(out, f"chart.{fmt}")
        qc.to_file(path)
        with open(path, "rb") as f:
            check(fmt, f.read(), "to_file")
        short = qc.get_short_url()
        if f"http://{host}/chart/render/" not in short:
            raise SystemExit(f"get_short_url: unexpected {short}")
        check(fmt, fetch(short), "get_short_url")

    # A broken config: the client reports our X-quickchart-error.
    qc = QuickChart()
    qc.scheme, qc.host = "http", host
    qc.config = "{type: 'bar', data: "
    try:
        qc.get_bytes()
    except RuntimeError as e:
        if "400" not in str(e) or "neither JSON" not in str(e):
            raise SystemExit(f"error report: {e}")
        print("ok error report")
    else:
        raise SystemExit("a broken config rendered")
    print("all client checks passed")


if __name__ == "__main__":
    main()
