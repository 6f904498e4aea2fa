// Puts the reference picture and ours side by side (reference left), with a caption strip.
// Run with NODE_PATH pointing at the reference engine's node_modules (it uses its `canvas`).
// Usage: node tools/realworld_sbs.js ref.png ours.png|- "caption" out.png
'use strict';
const fs = require('fs');
const { createCanvas, loadImage } = require('canvas');
const [ref, ours, caption, out] = process.argv.slice(2);
(async () => {
  const load = async (p) => (p && p !== '-' && fs.existsSync(p) && fs.statSync(p).size > 0) ? loadImage(p).catch(() => null) : null;
  const a = await load(ref), b = await load(ours);
  const w = 800, h = 500, top = 28;
  const c = createCanvas(w * 2 + 10, h + top);
  const g = c.getContext('2d');
  g.fillStyle = '#888'; g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#000'; g.font = '16px sans-serif';
  g.fillText(`reference | ours   ${caption}`.slice(0, 200), 6, 19);
  for (const [img, x, what] of [[a, 0, 'reference failed'], [b, w + 10, 'ours refused / failed']]) {
    if (img) g.drawImage(img, x, top, w, h);
    else { g.fillStyle = '#fdd'; g.fillRect(x, top, w, h); g.fillStyle = '#900'; g.font = '28px sans-serif'; g.fillText(what, x + 40, top + 80); }
  }
  fs.writeFileSync(out, c.toBuffer('image/png'));
})().catch((e) => { console.error(String(e)); process.exit(1); });
