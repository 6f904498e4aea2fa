// The builder view: type picker, JSON editor with live validation, data grid, output controls,
// a debounced live preview, save, and copy-as-code. Uses the helpers of app.js (h, api, …).
"use strict";

/** Wait after the last keystroke before asking the server for a preview. */
const PREVIEW_DEBOUNCE_MS = 450;
/** Specs longer than this are not scanned for error positions (the scan is quadratic-free but big specs are slow to select). */
const LOCATE_MAX_CHARS = 200_000;
const DEFAULTS = { width: 800, height: 500, theme: "clovitek", format: "png", devicePixelRatio: 1 };

/** Maps every JSON pointer of a valid JSON text to the [start, end) offsets of its value. */
function pointerMap(text) {
  const map = new Map();
  let i = 0;
  const ws = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
  const str = () => {
    const s = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(s, i));
  };
  const esc = (k) => k.replace(/~/g, "~0").replace(/\//g, "~1");
  const value = (path) => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++; ws();
      if (text[i] === "}") i++;
      else for (;;) {
        ws(); const k = str(); ws(); i++;
        value(`${path}/${esc(k)}`); ws();
        if (text[i++] !== ",") break;
      }
    } else if (c === "[") {
      i++; ws();
      let n = 0;
      if (text[i] === "]") i++;
      else for (;;) {
        value(`${path}/${n++}`); ws();
        if (text[i++] !== ",") break;
      }
    } else if (c === '"') str();
    else while (i < text.length && !",]} \t\n\r".includes(text[i])) i++;
    map.set(path, [start, i]);
  };
  value("");
  return map;
}

/** Python source for a JSON value (True/False/None, 4-space indent). */
function pyLiteral(v, ind = "") {
  const inner = ind + "    ";
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string" || typeof v === "number") return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== "object")) return `[${v.map((x) => pyLiteral(x)).join(", ")}]`;
    return `[\n${v.map((x) => inner + pyLiteral(x, inner)).join(",\n")},\n${ind}]`;
  }
  const entries = Object.entries(v);
  if (!entries.length) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pyLiteral(x, inner)}`).join(",\n")},\n${ind}}`;
}

const builder = {
  timer: null,
  seq: 0,
  spec: null,
  code: "curl",
  gridOpen: false,

  init() {
    const ta = $("#spec");
    this.renderTypes();
    ta.addEventListener("input", () => this.changed());
    // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are not trapped).
    ta.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { ta.dataset.escaped = "1"; return; }
      if (e.key === "Tab" && !e.shiftKey && !ta.dataset.escaped) {
        e.preventDefault();
        ta.setRangeText("  ", ta.selectionStart, ta.selectionEnd, "end");
        this.changed();
      }
      if (e.key !== "Tab") delete ta.dataset.escaped;
    });
    ta.addEventListener("blur", () => delete ta.dataset.escaped);
    const controls = [["#c-width", "width", Number], ["#c-height", "height", Number], ["#c-theme", "theme", String],
      ["#c-format", "format", String], ["#c-dpr", "devicePixelRatio", Number]];
    for (const [sel, key, cast] of controls) {
      $(sel).addEventListener("input", (e) => {
        if (e.target.value === "") return;
        this.setOption(key, cast(e.target.value));
      });
    }
    this.selectTab = tabs($("#view-builder .tabs"), (tab) => {
      this.gridOpen = tab.id === "tab-grid";
      if (this.gridOpen) this.renderGrid();
    });
    for (const b of $$("[data-code]")) {
      b.addEventListener("click", () => {
        this.code = b.dataset.code;
        for (const o of $$("[data-code]")) o.setAttribute("aria-pressed", o === b);
        this.renderCode();
      });
    }
    $("#copy-code").addEventListener("click", () => copyText($("#code").textContent));
    $("#save").addEventListener("click", () => this.save());
    const first = catalog.byType.bar || catalog.types[0];
    if (first) this.load(first.example_config);
  },

  renderTypes() {
    $("#type-list").replaceChildren(...catalog.types.map((t) => h("button", {
      type: "button", class: "type-card", "data-type": t.type, "aria-pressed": "false",
      onclick: () => this.load(t.example_config),
    },
    h("img", { src: `/charts/example_${t.type}.png`, alt: "", width: 400, height: 280, loading: "lazy", onerror: (e) => { e.target.style.visibility = "hidden"; } }),
    h("span", {}, t.label))));
  },

  /** Puts a spec into the editor and renders it. */
  load(spec) {
    this.write(structuredClone(spec));
    if (this.gridOpen) this.renderGrid();
    this.schedule(0);
  },

  /** Starts from a stored chart: its type's example with the chart's size, theme, format and title
   *  (the API keeps a chart's image and metadata, not the spec it came from). */
  fromChart(c) {
    const ex = catalog.byType[c.type];
    if (!ex) return;
    const spec = structuredClone(ex.example_config);
    spec.options = { ...(spec.options || {}), width: c.width, height: c.height, theme: c.theme, format: c.format };
    if (c.title) spec.options.title = c.title;
    location.hash = "#builder";
    this.load(spec);
    toast(`Loaded a ${ex.label} template with the chart's settings`);
  },

  write(spec) {
    this.spec = spec;
    $("#spec").value = JSON.stringify(spec, null, 2);
    this.syncControls();
  },

  changed() {
    this.parse();
    this.schedule();
  },

  /** Parses the editor; on a syntax error shows it with line and column and answers null. */
  parse() {
    const text = $("#spec").value;
    try {
      this.spec = JSON.parse(text);
      this.syncControls();
      return this.spec;
    } catch (e) {
      this.spec = null;
      const m = /position (\d+)/.exec(e.message);
      let where = "";
      if (m) {
        const before = text.slice(0, Number(m[1])).split("\n");
        where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
      }
      $("#preview-box").classList.add("stale");
      this.showErrors([{ path: "", code: "INVALID_JSON", message: e.message.replace(/^JSON\.parse: /, ""), hint: where ? `at ${where}` : null, offset: m ? Number(m[1]) : null }]);
      return null;
    }
  },

  syncControls() {
    const s = this.spec;
    if (!s || typeof s !== "object") return;
    const o = (s.options && typeof s.options === "object") ? s.options : {};
    $("#c-width").value = o.width ?? DEFAULTS.width;
    $("#c-height").value = o.height ?? DEFAULTS.height;
    $("#c-theme").value = o.theme ?? DEFAULTS.theme;
    $("#c-format").value = o.format ?? DEFAULTS.format;
    $("#c-dpr").value = String(o.devicePixelRatio ?? s.devicePixelRatio ?? DEFAULTS.devicePixelRatio);
    for (const b of $$(".type-card")) b.setAttribute("aria-pressed", b.dataset.type === s.type);
    this.renderCode();
  },

  setOption(key, value) {
    const spec = this.parse();
    if (!spec) { toast("Fix the JSON first"); return; }
    if (!spec.options || typeof spec.options !== "object") spec.options = {};
    if (key === "devicePixelRatio") delete spec.devicePixelRatio;
    spec.options[key] = value;
    this.write(spec);
    this.schedule();
  },

  schedule(delay = PREVIEW_DEBOUNCE_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.preview(), delay);
  },

  /** Renders the spec as a private chart with its bytes inline, shows it, then deletes it, so
   *  previews never pile up in My charts. Stale answers (an older keystroke) are dropped. */
  async preview() {
    const spec = this.spec;
    if (!spec) return;
    const box = $("#preview-box");
    if (!auth.user) {
      const type = typeof spec.type === "string" ? spec.type : "bar";
      this.showImage(`/charts/example_${type}.png`, `Example ${type} chart`);
      $("#preview-note").hidden = true;
      $("#preview-meta").replaceChildren("Example preview. ", h("a", { href: "#signin" }, "Sign in"), " to render and validate your own spec live.");
      return;
    }
    const seq = ++this.seq;
    const body = structuredClone(spec);
    body.options = { ...(typeof body.options === "object" && body.options ? body.options : {}), visibility: "private", base64: true };
    box.setAttribute("aria-busy", "true");
    const r = await api("POST", "/api/charts/generate", body);
    if (r.ok) api("DELETE", `/api/charts/${r.data.chart_id}`);
    if (seq !== this.seq) return;
    box.setAttribute("aria-busy", "false");
    if (!r.ok) {
      const errors = r.data.details?.errors || [{ path: "", code: r.data.code || r.status, message: r.data.error || "The preview failed" }];
      this.showErrors(errors);
      box.classList.add("stale");
      $("#preview-meta").textContent = `The last valid preview; ${errors.length} problem${errors.length === 1 ? "" : "s"} to fix.`;
      return;
    }
    box.classList.remove("stale");
    const d = r.data;
    this.showImage(`data:image/${d.format};base64,${d.base64}`, d.title || `${spec.type} chart preview`, d.width);
    $("#preview-meta").textContent = `${d.width}×${d.height} ${d.format.toUpperCase()} · rendered in ${d.render_ms} ms`;
    this.showErrors([], d.warnings || []);
  },

  showImage(src, alt, width) {
    const img = $("#preview");
    img.src = src;
    img.alt = alt;
    if (width) img.style.width = `min(100%, ${width}px)`;
    else img.style.width = "";
    img.hidden = false;
    $("#preview-note").hidden = true;
  },

  showErrors(errors, warnings = []) {
    const list = $("#errors");
    $("#valid-ok").hidden = errors.length > 0;
    const item = (e, warn) => h("li", { class: warn ? "warn" : "" },
      h("button", { type: "button", class: "path", title: "Show in the editor", onclick: () => this.reveal(e) }, e.path || "/"),
      h("span", { class: "err-code" }, warn ? "warning" : e.code),
      h("span", { class: "msg" }, e.message),
      e.hint ? h("span", { class: "hint" }, e.hint) : null);
    list.replaceChildren(...errors.map((e) => item(e, false)), ...warnings.map((w) => item(w, true)));
  },

  /** Selects the value an error points at (or its nearest existing parent) in the editor. */
  reveal(e) {
    const ta = $("#spec");
    if (this.gridOpen) this.selectTab($("#tab-json"));
    let range = null;
    if (e.offset != null) range = [e.offset, e.offset + 1];
    else if (ta.value.length <= LOCATE_MAX_CHARS) {
      try {
        const map = pointerMap(ta.value);
        let p = e.path || "";
        while (!map.has(p) && p) p = p.slice(0, p.lastIndexOf("/"));
        range = map.get(p) || null;
      } catch { range = null; }
    }
    ta.focus();
    if (!range) return;
    ta.setSelectionRange(range[0], range[1]);
    const line = ta.value.slice(0, range[0]).split("\n").length;
    const lh = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (line - 3) * lh);
  },

  async save() {
    const spec = this.parse();
    const out = $("#saved");
    if (!spec) { out.textContent = "Fix the JSON first."; return; }
    if (!auth.user) { route.after = "#builder"; location.hash = "#signin"; return; }
    const body = structuredClone(spec);
    body.options = { ...(typeof body.options === "object" && body.options ? body.options : {}), visibility: $("#save-vis").value };
    const btn = $("#save");
    btn.disabled = true;
    const r = await api("POST", "/api/charts/generate", body);
    btn.disabled = false;
    if (!r.ok) {
      out.textContent = r.data.error || `Saving failed (${r.status})`;
      if (r.data.details?.errors) this.showErrors(r.data.details.errors);
      return;
    }
    out.replaceChildren("Saved. ", h("a", { href: r.data.url, target: "_blank", rel: "noopener" }, "Open the image"), " · ", h("a", { href: "#mine" }, "My charts"));
    toast("Chart saved");
  },

  renderCode() {
    const spec = this.spec;
    if (!spec) return;
    const url = `${location.origin}/api/charts/generate`;
    const json = JSON.stringify(spec);
    let code;
    if (this.code === "curl") {
      code = `curl -X POST '${url}' \\\n  -H "X-API-Key: $CLOVICHARTS_KEY" \\\n  -H 'Content-Type: application/json' \\\n  -d '${json.replace(/'/g, "'\\''")}'`;
    } else if (this.code === "python") {
      code = `import os\nimport requests\n\nspec = ${pyLiteral(spec)}\n\nresp = requests.post(\n    "${url}",\n    headers={"X-API-Key": os.environ["CLOVICHARTS_KEY"]},\n    json=spec,\n)\nresp.raise_for_status()\nprint(resp.json()["url"])`;
    } else {
      code = `const spec = ${JSON.stringify(spec, null, 2)};\n\nconst resp = await fetch("${url}", {\n  method: "POST",\n  headers: { "X-API-Key": process.env.CLOVICHARTS_KEY, "Content-Type": "application/json" },\n  body: JSON.stringify(spec),\n});\nif (!resp.ok) throw new Error((await resp.json()).error);\nconsole.log((await resp.json()).url);`;
    }
    $("#code").textContent = code;
  },

  // ----- Data grid: labels down the side, one column per dataset.

  renderGrid() {
    const box = $("#grid");
    const spec = this.parse();
    if (!spec) { box.replaceChildren(h("p", { class: "muted" }, "Fix the JSON first; the grid edits a valid spec.")); return; }
    const data = spec.data && typeof spec.data === "object" ? spec.data : {};
    const sets = Array.isArray(data.datasets) ? data.datasets : [];
    const plain = sets.every((d) => Array.isArray(d.data) && d.data.every((v) => v === null || typeof v !== "object"));
    if (!plain) {
      box.replaceChildren(h("p", { class: "muted" }, "This chart's data holds points or objects (x/y, dates, targets); edit it in the JSON tab."));
      return;
    }
    const labels = Array.isArray(data.labels) ? data.labels : [];
    const rows = Math.max(labels.length, ...sets.map((d) => d.data.length), 0);
    const cell = (value, label, onInput, numeric) => h("input", {
      value: value ?? "", "aria-label": label, inputmode: numeric ? "decimal" : null,
      oninput: (e) => onInput(e.target.value),
    });
    const num = (s) => (s.trim() === "" ? null : Number.isFinite(Number(s)) ? Number(s) : s);
    const head = h("tr", {}, h("th", { scope: "col", class: "corner" }, "Label"),
      sets.map((d, j) => h("th", { scope: "col" },
        cell(d.label, `Name of dataset ${j + 1}`, (v) => this.editGrid((s) => { s.data.datasets[j].label = v; }), false))),
      h("th", { class: "rm" }, h("span", { class: "sr-only" }, "Remove row")));
    const body = [];
    for (let i = 0; i < rows; i++) {
      body.push(h("tr", {},
        h("th", { scope: "row" }, cell(labels[i], `Label of row ${i + 1}`, (v) => this.editGrid((s) => {
          s.data.labels = s.data.labels || [];
          s.data.labels[i] = v;
        }), false)),
        sets.map((d, j) => h("td", {}, cell(d.data[i], `${d.label || `Dataset ${j + 1}`}, ${labels[i] ?? `row ${i + 1}`}`,
          (v) => this.editGrid((s) => { s.data.datasets[j].data[i] = num(v); }), true))),
        h("td", { class: "rm" }, h("button", {
          type: "button", "aria-label": `Remove row ${i + 1}`, title: "Remove row",
          onclick: () => this.editGrid((s) => {
            if (Array.isArray(s.data.labels)) s.data.labels.splice(i, 1);
            for (const d of s.data.datasets) d.data.splice(i, 1);
          }, true),
        }, "×"))));
    }
    const removeSet = sets.length > 1 ? h("button", {
      type: "button", class: "btn small ghost", onclick: () => this.editGrid((s) => { s.data.datasets.pop(); }, true),
    }, "Remove last dataset") : null;
    box.replaceChildren(
      h("div", { class: "grid-wrap" }, h("table", { class: "grid-table" },
        h("caption", { class: "sr-only" }, "Chart data: one row per label, one column per dataset"),
        h("thead", {}, head), h("tbody", {}, body))),
      h("div", { class: "grid-actions" },
        h("button", { type: "button", class: "btn small ghost", onclick: () => this.editGrid((s) => {
          s.data.labels = Array.isArray(s.data.labels) ? s.data.labels : [];
          s.data.labels.push(`Item ${rows + 1}`);
          for (const d of s.data.datasets) d.data.push(0);
        }, true) }, "+ Row"),
        h("button", { type: "button", class: "btn small ghost", onclick: () => this.editGrid((s) => {
          s.data.datasets.push({ label: `Series ${s.data.datasets.length + 1}`, data: Array(rows).fill(0) });
        }, true) }, "+ Dataset"),
        removeSet));
  },

  /** Applies a grid edit to the spec; structural edits (rows, columns) redraw the grid. */
  editGrid(change, redraw = false) {
    const spec = this.parse();
    if (!spec) return;
    spec.data = spec.data && typeof spec.data === "object" ? spec.data : {};
    spec.data.datasets = Array.isArray(spec.data.datasets) ? spec.data.datasets : [];
    for (const d of spec.data.datasets) if (!Array.isArray(d.data)) d.data = [];
    change(spec);
    this.write(spec);
    if (redraw) this.renderGrid();
    this.schedule();
  },
};
