// CloviCharts web app: a chart builder over the public HTTP API only (no private endpoints).
// Plain DOM code, no framework and no build step; every asset is embedded in the server binary.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** Builds an element; attributes starting with "on" are listeners, children are nodes or text. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    else if (k === "style") el.style.cssText = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function toast(text) {
  const t = $("#toast");
  t.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.textContent = ""; }, 3500);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API refused (insecure context): fall back to a selected textarea.
    const ta = h("textarea", { class: "sr-only" }, text);
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
  toast("Copied to the clipboard");
}

const fmtDate = (s) => (s ? new Date(s).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—");

// ---------------------------------------------------------------------------------------------
// Session: the server keeps the access token in the HttpOnly `cc_token` cookie; we keep only the
// refresh token, to rotate the pair a minute before the access token expires.

const SESSION_KEY = "clovicharts.session";
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;
const auth = { user: null, timer: null };

function savedSession() {
  try { return JSON.parse(localStorage.getItem(SESSION_KEY) || "null"); } catch { return null; }
}

function keepSession(data) {
  const s = { refresh_token: data.refresh_token, expires_at: Date.now() + data.expires_in * 1000 };
  localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  scheduleRefresh();
}

function scheduleRefresh() {
  clearTimeout(auth.timer);
  const s = savedSession();
  if (!s) return;
  const wait = Math.max(1000, s.expires_at - Date.now() - REFRESH_MARGIN_MS);
  auth.timer = setTimeout(() => refreshSession(), wait);
}

/** Rotates the token pair. Refresh tokens work once, so tabs take a lock and re-read storage:
 *  a pair another tab just rotated is not rotated again. `force` (after a 401: the cookie is
 *  gone or the session was ended) rotates whatever the clock says. */
async function refreshSession(force = false) {
  const before = savedSession();
  const run = async () => {
    const s = savedSession();
    if (!s) return false;
    const rotatedMeanwhile = before && s.refresh_token !== before.refresh_token;
    if (rotatedMeanwhile || (!force && s.expires_at - Date.now() > REFRESH_MARGIN_MS * 1.5)) {
      scheduleRefresh();
      return true;
    }
    const r = await fetch("/api/auth/refresh", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ refresh_token: s.refresh_token }),
    });
    if (!r.ok) { localStorage.removeItem(SESSION_KEY); return false; }
    const data = await r.json();
    keepSession(data);
    auth.user = data.user;
    return true;
  };
  if (navigator.locks) return navigator.locks.request("clovicharts-refresh", run);
  return run();
}

/** One API call; answers `{ok, status, data}` and retries once after refreshing on a 401. */
async function api(method, path, body, retry = true) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    return { ok: false, status: 0, data: { error: "The server could not be reached", code: "NETWORK" } };
  }
  const data = await r.json().catch(() => ({}));
  if (r.status === 401 && retry && savedSession() && !path.startsWith("/api/auth/")) {
    if (await refreshSession(true)) return api(method, path, body, false);
  }
  return { ok: r.ok, status: r.status, data };
}

const ADMIN_ROLES = ["admin", "super_admin", "platform_admin"];

function setUser(user) {
  auth.user = user;
  const admin = !!user && ADMIN_ROLES.includes(user.role);
  for (const el of $$("[data-needs]")) {
    const need = el.dataset.needs;
    el.hidden = need === "anon" ? !!user : need === "admin" ? !admin : !user;
  }
  $("#who-name").textContent = user ? user.name || user.email : "";
  $("#who-name").title = user ? user.email : "";
}

async function loadUser() {
  const r = await api("GET", "/api/me");
  setUser(r.ok ? r.data.user : null);
  if (r.ok && savedSession()) scheduleRefresh();
}

async function signIn(form, path) {
  const err = $(".form-error", form);
  const btn = $("button[type=submit]", form);
  err.textContent = "";
  const body = Object.fromEntries(new FormData(form));
  if (!body.name) delete body.name;
  btn.disabled = true;
  const r = await api("POST", path, body);
  btn.disabled = false;
  if (!r.ok) {
    err.textContent = r.data.error || `Failed (${r.status})`;
    return;
  }
  keepSession(r.data);
  setUser(r.data.user);
  form.reset();
  toast(`Signed in as ${r.data.user.email}`);
  location.hash = route.after || "#builder";
  route.after = null;
  builder.schedule(0);
}

async function signOut() {
  const s = savedSession();
  await api("POST", "/api/auth/logout", s ? { refresh_token: s.refresh_token } : {}, false);
  localStorage.removeItem(SESSION_KEY);
  clearTimeout(auth.timer);
  setUser(null);
  toast("Signed out");
  location.hash = "#builder";
  builder.schedule(0);
}

// Other tabs rotate the pair too; follow their schedule.
window.addEventListener("storage", (e) => { if (e.key === SESSION_KEY) scheduleRefresh(); });

// ---------------------------------------------------------------------------------------------
// Tabs (WAI-ARIA tabs pattern: arrows move between tabs, the selected one is in the tab order).

function tabs(list, onSelect) {
  const all = $$("[role=tab]", list);
  const select = (tab) => {
    for (const t of all) {
      const on = t === tab;
      t.setAttribute("aria-selected", on);
      t.tabIndex = on ? 0 : -1;
      $("#" + t.getAttribute("aria-controls")).hidden = !on;
    }
    onSelect && onSelect(tab);
  };
  for (const t of all) {
    t.addEventListener("click", () => select(t));
    t.addEventListener("keydown", (e) => {
      const i = all.indexOf(t);
      const next = e.key === "ArrowRight" ? all[(i + 1) % all.length] : e.key === "ArrowLeft" ? all[(i - 1 + all.length) % all.length] : null;
      if (next) { e.preventDefault(); next.focus(); select(next); }
    });
  }
  return select;
}

// ---------------------------------------------------------------------------------------------
// Routing: one view per hash; views behind sign-in send anonymous visitors to #signin first.

const VIEWS = ["builder", "gallery", "mine", "keys", "admin", "signin"];
const PRIVATE_VIEWS = ["mine", "keys", "admin"];
const route = { after: null };

function showView() {
  let name = location.hash.slice(1) || "builder";
  if (!VIEWS.includes(name)) name = "builder";
  if (PRIVATE_VIEWS.includes(name) && !auth.user) {
    route.after = "#" + name;
    name = "signin";
  }
  for (const v of VIEWS) $("#view-" + v).hidden = v !== name;
  for (const a of $$("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = name === "builder" ? "CloviCharts" : `${$("#view-" + name + " h1").textContent} · CloviCharts`;
  if (name === "gallery") gallery.load();
  if (name === "mine") mine.load();
  if (name === "keys") keys.load();
  if (name === "admin") admin.load();
  if (name === "signin") setTimeout(() => $("#view-signin input:not([type=hidden])")?.focus(), 0);
}

// ---------------------------------------------------------------------------------------------
// Catalog

const catalog = { types: [], byType: {} };

async function loadCatalog() {
  const r = await api("GET", "/api/chart-types");
  if (!r.ok) return;
  catalog.types = r.data.chart_types;
  for (const t of catalog.types) catalog.byType[t.type] = t;
  for (const sel of $$(".type-filter")) {
    sel.replaceChildren(h("option", { value: "" }, "All types"), ...catalog.types.map((t) => h("option", { value: t.type }, t.label)));
  }
}

// ---------------------------------------------------------------------------------------------
// Chart lists (gallery and my charts share the card and the pager).

const PAGE = 12;

function pager(nav, offset, total, go) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const page = Math.floor(offset / PAGE) + 1;
  nav.replaceChildren(
    h("button", { class: "btn small ghost", type: "button", disabled: page <= 1, onclick: () => go(offset - PAGE) }, "← Newer"),
    h("span", {}, `Page ${page} of ${pages} · ${total} chart${total === 1 ? "" : "s"}`),
    h("button", { class: "btn small ghost", type: "button", disabled: page >= pages, onclick: () => go(offset + PAGE) }, "Older →"),
  );
}

function chartCard(c, actions) {
  const label = catalog.byType[c.type]?.label || c.type;
  const title = c.title || `${label} chart`;
  return h("article", { class: "chart-card" },
    h("a", { href: c.url, target: "_blank", rel: "noopener", "aria-label": `Open ${title} image` },
      h("img", { src: c.url, alt: title, loading: "lazy", width: c.width, height: c.height })),
    h("div", { class: "body" },
      h("h3", { title }, title),
      h("div", { class: "meta" },
        h("span", { class: "badge" }, label),
        c.visibility && c.visibility !== "public" ? h("span", { class: "badge" }, c.visibility) : null,
        h("span", {}, `${c.width}×${c.height} ${String(c.format).toUpperCase()}`),
        h("span", {}, fmtDate(c.created_at))),
      h("div", { class: "actions" }, actions(c))));
}

function chartList(listSel, typeSel, pagerSel, endpoint, actions, emptyText) {
  const state = { offset: 0 };
  const load = async (offset = state.offset) => {
    state.offset = Math.max(0, offset);
    const type = $(typeSel).value;
    const q = new URLSearchParams({ limit: PAGE, offset: state.offset });
    if (type) q.set("type", type);
    const list = $(listSel);
    list.setAttribute("aria-busy", "true");
    const r = await api("GET", `${endpoint}?${q}`);
    list.setAttribute("aria-busy", "false");
    if (!r.ok) { list.replaceChildren(h("p", { class: "empty" }, r.data.error || "Could not load the charts")); return; }
    if (r.data.charts.length === 0 && state.offset > 0 && r.data.total > 0) return load(state.offset - PAGE);
    list.replaceChildren(...(r.data.charts.length ? r.data.charts.map((c) => chartCard(c, actions)) : [h("p", { class: "empty" }, emptyText)]));
    pager($(pagerSel), state.offset, r.data.total, load);
  };
  $(typeSel).addEventListener("change", () => load(0));
  return { load };
}

const openInBuilder = (c) => h("button", {
  class: "btn small ghost", type: "button", title: "Loads this type's example with the chart's size, theme and title",
  onclick: () => builder.fromChart(c),
}, "Use as template");

const gallery = chartList("#gallery-list", "#gallery-type", "#gallery-pager", "/api/charts/gallery",
  (c) => [openInBuilder(c)], "No public charts yet. Save one from the builder.");

const mine = chartList("#mine-list", "#mine-type", "#mine-pager", "/api/me/charts", (c) => [
  openInBuilder(c),
  h("button", {
    class: "btn small danger", type: "button", "aria-label": `Delete ${c.title || c.chart_id}`,
    onclick: async () => {
      if (!confirm("Delete this chart? Its image and link stop working.")) return;
      const r = await api("DELETE", `/api/charts/${c.chart_id}`);
      toast(r.ok ? "Chart deleted" : r.data.error || "Delete failed");
      mine.load();
    },
  }, "Delete"),
], "You have no saved charts yet.");

// ---------------------------------------------------------------------------------------------
// API keys

const keys = {
  async load() {
    const tbody = $("#keys-table tbody");
    const r = await api("GET", "/api/keys");
    if (!r.ok) {
      const why = r.status === 403 ? "API keys belong to local accounts; sign in with one to manage keys." : r.data.error;
      tbody.replaceChildren(h("tr", {}, h("td", { colspan: 7 }, why)));
      return;
    }
    if (!r.data.keys.length) {
      tbody.replaceChildren(h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No keys yet.")));
      return;
    }
    tbody.replaceChildren(...r.data.keys.map((k) => h("tr", {},
      h("td", {}, k.name || "—"),
      h("td", {}, h("code", {}, `${k.prefix}…`)),
      h("td", {}, (k.scopes || []).join(", ")),
      h("td", {}, fmtDate(k.created_at)),
      h("td", {}, fmtDate(k.last_used_at)),
      h("td", {}, h("span", { class: `badge ${k.status === "active" ? "good" : "bad"}` }, k.status)),
      h("td", {}, k.status === "active" ? h("button", {
        class: "btn small danger", type: "button", "aria-label": `Revoke key ${k.name}`,
        onclick: async () => {
          if (!confirm(`Revoke "${k.name}"? Scripts using it stop working at once.`)) return;
          const rr = await api("POST", `/api/keys/${k.id}/revoke`);
          toast(rr.ok ? "Key revoked" : rr.data.error || "Revoke failed");
          keys.load();
        },
      }, "Revoke") : null))));
  },
  async create(e) {
    e.preventDefault();
    const form = e.target;
    const err = $(".form-error", form);
    err.textContent = "";
    const fd = new FormData(form);
    const body = { name: fd.get("name"), scopes: fd.getAll("scope") };
    if (fd.get("expires")) body.expires_at = new Date(fd.get("expires") + "T23:59:59Z").toISOString();
    const r = await api("POST", "/api/keys", body);
    if (!r.ok) { err.textContent = r.data.error || `Failed (${r.status})`; return; }
    $("#new-key-value").textContent = r.data.key;
    $("#new-key").hidden = false;
    form.reset();
    $("#copy-key").focus();
    keys.load();
  },
};

// ---------------------------------------------------------------------------------------------
// Admin: stats and users

const admin = {
  offset: 0,
  async load() {
    const s = await api("GET", "/api/admin/stats");
    const box = $("#stats");
    if (!s.ok) { box.replaceChildren(h("p", { class: "empty" }, s.data.error || "No stats")); }
    else {
      const d = s.data;
      const stat = (v, label) => h("div", { class: "stat" }, h("b", {}, v), h("span", {}, label));
      const mb = (d.storage_bytes / 1048576).toFixed(1);
      const max = Math.max(1, ...d.charts_per_type.map((t) => t.count));
      box.replaceChildren(
        stat(d.charts_total, "charts"), stat(d.users_total, "users"), stat(d.users_disabled, "disabled users"),
        stat(d.active_keys, "active keys"), stat(`${mb} MB`, "stored images"),
        stat(d.render_ms.p50 ?? "—", "render ms p50"), stat(d.render_ms.p95 ?? "—", "render ms p95"), stat(d.render_ms.p99 ?? "—", "render ms p99"),
        h("div", { class: "bars", role: "list", "aria-label": "Charts per type" },
          h("h3", { class: "h3" }, "Charts per type"),
          d.charts_per_type.length ? d.charts_per_type.map((t) => h("div", { class: "bar-row", role: "listitem" },
            h("span", {}, catalog.byType[t.type]?.label || t.type),
            h("i", { style: `width:${(100 * t.count / max).toFixed(1)}%`, "aria-hidden": "true" }),
            h("span", {}, t.count))) : h("p", { class: "muted" }, "No charts yet.")));
    }
    admin.users(admin.offset);
  },
  async users(offset = 0) {
    admin.offset = Math.max(0, offset);
    const q = new URLSearchParams({ limit: PAGE, offset: admin.offset });
    const search = $("#user-q").value.trim();
    if (search) q.set("search", search);
    const r = await api("GET", `/api/admin/users?${q}`);
    const tbody = $("#users-table tbody");
    if (!r.ok) { tbody.replaceChildren(h("tr", {}, h("td", { colspan: 7 }, r.data.error))); return; }
    tbody.replaceChildren(...r.data.users.map((u) => h("tr", {},
      h("td", {}, u.email), h("td", {}, u.name || "—"), h("td", {}, u.role),
      h("td", {}, u.chart_count ?? 0), h("td", {}, u.key_count ?? 0), h("td", {}, fmtDate(u.created_at)),
      h("td", {}, h("button", {
        class: `btn small ${u.disabled ? "ghost" : "danger"}`, type: "button",
        disabled: auth.user && u.id === auth.user.id,
        "aria-label": `${u.disabled ? "Enable" : "Disable"} ${u.email}`,
        onclick: async () => {
          const rr = await api("PATCH", `/api/admin/users/${u.id}`, { disabled: !u.disabled });
          toast(rr.ok ? `${u.email} ${u.disabled ? "enabled" : "disabled"}` : rr.data.error);
          admin.users(admin.offset);
        },
      }, u.disabled ? "Enable" : "Disable")))));
    const nav = $("#users-pager");
    const pages = Math.max(1, Math.ceil(r.data.total / PAGE));
    const page = Math.floor(admin.offset / PAGE) + 1;
    nav.replaceChildren(
      h("button", { class: "btn small ghost", type: "button", disabled: page <= 1, onclick: () => admin.users(admin.offset - PAGE) }, "← Previous"),
      h("span", {}, `Page ${page} of ${pages} · ${r.data.total} users`),
      h("button", { class: "btn small ghost", type: "button", disabled: page >= pages, onclick: () => admin.users(admin.offset + PAGE) }, "Next →"));
  },
};

// ---------------------------------------------------------------------------------------------
// Boot

document.addEventListener("DOMContentLoaded", async () => {
  tabs($("#view-signin .tabs"));
  $("#form-login").addEventListener("submit", (e) => { e.preventDefault(); signIn(e.target, "/api/auth/login"); });
  $("#form-register").addEventListener("submit", (e) => { e.preventDefault(); signIn(e.target, "/api/auth/register"); });
  $("#signout").addEventListener("click", signOut);
  $("#key-form").addEventListener("submit", keys.create);
  $("#copy-key").addEventListener("click", () => copyText($("#new-key-value").textContent));
  $("#user-search").addEventListener("submit", (e) => { e.preventDefault(); admin.users(0); });
  await Promise.all([loadUser(), loadCatalog()]);
  builder.init();
  window.addEventListener("hashchange", showView);
  showView();
  document.body.dataset.ready = "true";
});
