#!/usr/bin/env node
// Extracts the Chart.js config of a docs sample (a markdown file with a ```js chart-editor block, as
// in Chart.js, chartjs-plugin-datalabels and chartjs-plugin-annotation) into plain JSON.
// The samples build their data with a `Utils` helper seeded by Date.now(); here Utils is replaced by
// a deterministic one (seed 42 unless the sample calls Utils.srand) that rounds numbers to integers,
// so the JSON holds concrete numbers. Functions are kept as their source text (a string).
// Usage: node tools/realworld_extract.js sample.md > out.json   (trusted public sample files only)
'use strict';
const fs = require('fs');
const vm = require('vm');

const md = fs.readFileSync(process.argv[2], 'utf8');
const m = md.match(/```js chart-editor\n([\s\S]*?)\n```/);
if (!m) { console.error('no chart-editor block'); process.exit(2); }
let code = m[1]
  .replace(/^\s*import .*$/gm, '')
  .replace(/module\.exports\s*=\s*\{[\s\S]*?\};?\s*$/m, '');

let seed = 42;
const COLORS = ['#4dc9f6', '#f67019', '#f53794', '#537bc4', '#acc236', '#166a8f', '#00a950', '#58595b', '#8549ba'];
const CHART_COLORS = {
  red: 'rgb(255, 99, 132)', orange: 'rgb(255, 159, 64)', yellow: 'rgb(255, 205, 86)',
  green: 'rgb(75, 192, 192)', blue: 'rgb(54, 162, 235)', purple: 'rgb(153, 102, 255)', grey: 'rgb(201, 203, 207)',
};
const NAMED = Object.values(CHART_COLORS);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function parseRgb(c) {
  const h = c.match(/^#([0-9a-f]{6})$/i);
  if (h) { const n = parseInt(h[1], 16); return [n >> 16, (n >> 8) & 255, n & 255]; }
  const r = c.match(/rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/);
  return r ? [+r[1], +r[2], +r[3]] : [0, 0, 0];
}
const Utils = {
  srand(s) { seed = s; },
  rand(min, max) {
    min = min === undefined ? 0 : min; max = max === undefined ? 1 : max;
    seed = (seed * 9301 + 49297) % 233280;
    return min + (seed / 233280) * (max - min);
  },
  numbers(cfg) {
    cfg = cfg || {};
    const min = cfg.min ?? 0, max = cfg.max ?? 100, from = cfg.from || [], count = cfg.count ?? 8;
    const continuity = cfg.continuity ?? 1;
    const out = [];
    for (let i = 0; i < count; ++i) {
      const v = (from[i] || 0) + this.rand(min, max);
      out.push(this.rand() <= continuity ? Math.round(v) : null);
    }
    return out;
  },
  points(cfg) { const xs = this.numbers(cfg), ys = this.numbers(cfg); return xs.map((x, i) => ({ x, y: ys[i] })); },
  bubbles(cfg) { return this.points(cfg).map(p => { p.r = Math.round(this.rand(cfg.rmin, cfg.rmax)); return p; }); },
  labels(cfg) {
    cfg = cfg || {}; const min = cfg.min || 0, max = cfg.max || 100, count = cfg.count || 8;
    const step = (max - min) / count, out = [];
    for (let i = min; i < max; i += step) out.push((cfg.prefix || '') + Math.round(i));
    return out;
  },
  months(cfg) { cfg = cfg || {}; const out = []; for (let i = 0; i < (cfg.count || 12); ++i) out.push(MONTHS[i % 12].substring(0, cfg.section)); return out; },
  color(i) { return (this._colors || COLORS)[i % (this._colors || COLORS).length]; },
  transparentize(c, opacity) {
    const a = opacity === undefined ? 0.5 : 1 - opacity; const [r, g, b] = parseRgb(c);
    return `rgba(${r}, ${g}, ${b}, ${+a.toFixed(2)})`;
  },
  CHART_COLORS, namedColor(i) { return NAMED[i % NAMED.length]; },
  newDate(days) { return new Date(Date.UTC(2024, 0, 1) + days * 864e5).toISOString(); },
  newDateString(days) { return this.newDate(days); },
  parseISODate(s) { return s; },
};
if (process.env.UTILS_COLORS) Utils._colors = JSON.parse(process.env.UTILS_COLORS);
const ctx = vm.createContext({ Utils, Math, Date, JSON, console: { log() {} }, Number, String, Array, Object });
vm.runInContext(code + '\n;globalThis.__out = (typeof config !== "undefined") ? config : undefined;', ctx, { timeout: 2000 });
const cfg = ctx.__out;
if (!cfg) { console.error('no config'); process.exit(3); }
const json = JSON.stringify(cfg, (k, v) => {
  if (typeof v === 'function') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}, 2);
process.stdout.write(json + '\n');
