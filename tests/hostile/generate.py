#!/usr/bin/env python3
"""Writes the hostile-body corpus into tests/hostile/bodies/ (replayed by tests/http/hostile.rs).

Families: dash patterns (the 1e-300 hang, the 1e-5 memory blow-up, radar too), numeric extremes
for every style and size option, category charts at and past their documented limits, wrong
types at every key, deep nesting, long and odd text, and seeded mutations of every spec in
tests/specs/. Deterministic (seeded): rerun it and the files come out the same.

    python3 tests/hostile/generate.py        # rewrites the corpus
"""
import json
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bodies")
SPECS = os.path.join(HERE, "..", "specs")
rng = random.Random(13)
bodies = []

TYPES = ["bar", "line", "pie", "doughnut", "scatter", "radar", "polarArea", "sparkline",
         "competitive_radar", "funnel", "bullet", "slope", "heatcalendar", "lollipop",
         "waterfall", "horizontalBar"]
TINY = [1e-300, 5e-324, 1e-100, 1e-15, 1e-10, 1e-5, 1e-4, 1e-3, 0.01]
EXTREMES = [0, -0.0, -1, 1e-300, 5e-324, 1e-5, 0.5, 99.999, 100, 100.0001, 1e6, 1e15, 1e300,
            -1e300, 1.7976931348623157e308, -1.7976931348623157e308, 2**53, 2**64, "12",
            None, True, [], {}, "NaN", "Infinity"]


def add(family, body):
    bodies.append((family, body))


def base(t="line", n=4):
    labels = [f"L{i}" for i in range(n)]
    if t == "scatter":
        data = [{"x": i, "y": (i * 7) % 5} for i in range(n)]
    elif t == "heatcalendar":
        data = [{"date": f"2024-01-{(i % 28) + 1:02d}", "value": i} for i in range(n)]
    elif t == "bullet":
        data = [{"value": 50 + i, "target": 70, "ranges": [30, 60, 90]} for i in range(n)]
    else:
        data = [(i * 37) % 11 + 1 for i in range(n)]
    return {"type": t, "data": {"labels": labels, "datasets": [{"label": "A", "data": data}]}}


# 1. Dash patterns: tiny periods, odd lengths, zeros, negatives, on every type.
for t in TYPES:
    for d in [[v, v] for v in TINY] + [[1e-300], [1e-300] * 8, [0, 1e-300], [1e-300, 5],
                                       [1e-5, 1e-5, 1e-5], [100, 1e-300], [-1, 1], [0, 0],
                                       [1e-5] * 9, "dash", [None, 1], [[1]], [1e308, 1e308]]:
        b = base(t, 6)
        b["data"]["datasets"][0]["borderDash"] = d
        b["data"]["datasets"][0]["borderWidth"] = rng.choice([0, 0.001, 1, 5, 20])
        add("dash", b)
    # Dashed, thick, many points: segments bounded by the per-stroke cap.
    b = base(t, 1000)
    b["data"]["datasets"][0]["borderDash"] = [1e-5, 1e-5]
    add("dash-long", b)

# 2. Numeric extremes for each style and size option.
DATASET_KEYS = ["borderWidth", "pointRadius", "tension", "lineTension", "order", "borderDash"]
OPTION_KEYS = ["width", "height", "devicePixelRatio"]
for key in DATASET_KEYS:
    for v in EXTREMES:
        b = base(rng.choice(["line", "radar", "bar", "scatter"]), 5)
        b["data"]["datasets"][0][key] = v
        add("style-extreme", b)
for key in OPTION_KEYS:
    for v in EXTREMES:
        b = base(rng.choice(TYPES), 5)
        b.setdefault("options", {})[key] = v
        add("size-extreme", b)
for v in EXTREMES:
    b = base("line", 5)
    b["options"] = {"layout": {"padding": v}, "rotation": v, "circumference": v, "cutout": v,
                    "scales": {"y": {"min": v, "max": v, "ticks": {"stepSize": v}}}}
    add("option-extreme", b)
    b = base("doughnut", 5)
    b["options"] = {"rotation": v, "circumference": v, "cutout": v}
    add("option-extreme", b)

# 3. Data values at the edges of f64.
for t in TYPES:
    for vals in [[1e308, -1e308, 1e308], [5e-324, -5e-324], [None, None, None], [0, 0, 0],
                 [1e300, 1e-300, -1e300], [2**63, -2**63], ["1", "x", None], [[1], {"a": 1}]]:
        b = base(t, len(vals))
        b["data"]["datasets"][0]["data"] = vals
        add("data-extreme", b)

# 4. Category charts at and just past their documented limits, and many datasets.
for t, n in [("bar", 10_000), ("bar", 10_001), ("lollipop", 10_001), ("waterfall", 10_001),
             ("funnel", 1_000), ("funnel", 1_001), ("slope", 1_001), ("pie", 10_001),
             ("polarArea", 10_001), ("radar", 10_001), ("bullet", 1_001), ("horizontalBar", 10_001)]:
    b = {"type": t, "data": {"datasets": [{"data": [(i % 97) + 1 for i in range(n)]}]}}
    if t == "bullet":
        b["data"]["datasets"][0]["data"] = [{"value": i % 50} for i in range(n)]
    add("category-limit", b)
for n in [256, 257, 1000]:
    add("datasets", {"type": "bar", "data": {"labels": ["a", "b"],
                                              "datasets": [{"data": [1, 2]} for _ in range(n)]}})

# 5. Wrong types at every key of a valid spec.
for t in TYPES:
    for path in ["type", "data", "data.labels", "data.datasets", "data.datasets.0",
                 "data.datasets.0.data", "data.datasets.0.label", "options", "options.title",
                 "options.theme", "options.format", "options.plugins", "options.scales"]:
        b = base(t, 3)
        b.setdefault("options", {"title": "T", "theme": "dark", "format": "png",
                                 "plugins": {}, "scales": {}})
        keys = path.split(".")
        node = b
        for k in keys[:-1]:
            node = node[int(k)] if isinstance(node, list) else node[k]
        last = keys[-1]
        v = rng.choice([None, 1, -1, 1e308, "", "x" * 50, [], [None], {}, {"a": {}}, True])
        if isinstance(node, list):
            node[int(last)] = v
        else:
            node[last] = v
        add("wrong-type", b)

# 6. Structure: deep nesting, empty, non-objects, duplicate keys (as raw text).
RAW = ["", " ", "null", "[]", "{}", "1", '"bar"', "{", "}", '{"type":', "[" * 200 + "]" * 200,
       '{"type":"bar","data":' + "[" * 5000 + "]" * 5000 + "}",
       '{"type":"bar","type":"line","data":{"datasets":[{"data":[1]}]}}',
       '{"type":"bar","data":{"datasets":[{"data":[1,2,3,]}]}}',
       '{"type":"bar","data":{"datasets":[{"data":[1e400]}]}}',
       '{"type":"bar","data":{"datasets":[{"data":[-1e400, 1]}]}}',
       '{"type":"line","data":{"datasets":[{"data":[NaN, Infinity]}]}}',
       '\ufeff{"type":"bar","data":{"datasets":[{"data":[1]}]}}',
       '{"type":"bar\\u0000","data":{"datasets":[{"data":[1]}]}}',
       '{"type":"bar","data":{"datasets":[{"data":[1]}]}}' + " " * 1000 + "x"]
for r in RAW:
    add("raw", r)

# 7. Text: long, control, bidi, emoji, no-font glyphs, arrow functions, in every text slot.
TEXTS = ["x" * 10_000, "\u0000\u0001\u0007\u001b[31m", "\u202e\u202dabc\u2066", "👩‍👩‍👧‍👦" * 100,
         "\U0010FFFF\uFFFF\uFFFE", "(v) => v * 2", "function(){return 1}", "<script>x</script>",
         "\n" * 500, "𝕏" * 3000, "ﷺ" * 500, "\u0301" * 2000]
for t in TYPES:
    txt = rng.choice(TEXTS)
    b = base(t, 5)
    b["data"]["labels"] = [txt] * 5
    b["data"]["datasets"][0]["label"] = txt
    b["options"] = {"title": txt, "subtitle": txt}
    add("text", b)
for txt in TEXTS:
    b = base("pie", 40)
    b["data"]["labels"] = [txt[:300] + str(i) for i in range(40)]
    add("text", b)

# 8. Seeded mutations of the test specs.
specs = []
for name in sorted(os.listdir(SPECS)):
    if name.endswith(".json"):
        with open(os.path.join(SPECS, name)) as f:
            specs.append(json.load(f))


def mutate(node, depth=0):
    if isinstance(node, dict) and node:
        k = rng.choice(sorted(node))
        if rng.random() < 0.5 or depth > 6:
            node[k] = rng.choice(EXTREMES + TINY + [rng.choice(TEXTS)[:200]])
        else:
            mutate(node[k], depth + 1)
    elif isinstance(node, list) and node:
        i = rng.randrange(len(node))
        if rng.random() < 0.5 or depth > 6:
            node[i] = rng.choice(EXTREMES + TINY)
        else:
            mutate(node[i], depth + 1)


while sum(1 for f, _ in bodies if f == "mutation") < 200:
    b = json.loads(json.dumps(rng.choice(specs)))
    for _ in range(rng.randint(1, 4)):
        mutate(b)
    add("mutation", b)

shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
for i, (family, body) in enumerate(bodies):
    text = body if isinstance(body, str) else json.dumps(body, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(OUT, f"{i:04d}-{family}.json"), "w", encoding="utf-8") as f:
        f.write(text)
print(f"{len(bodies)} bodies in {os.path.relpath(OUT)}")
