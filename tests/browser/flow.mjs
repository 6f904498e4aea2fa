// The web app's main flow in a real browser: register -> build a chart from an example -> see the
// preview -> save -> find it in My charts -> create a key -> revoke it; then screenshots of the
// builder, gallery and keys at desktop and phone widths. Run by tests/browser.rs against the
// real server (BASE_URL); writes screenshots to OUT_DIR, and failure.png when a step fails.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BASE = process.env.BASE_URL;
const OUT = process.env.OUT_DIR || "artifacts";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
/** Longest wait for one step (a render on a busy CI machine included). */
const STEP_MS = 30_000;
/** waitForFunction polls on a timer: its default, requestAnimationFrame, can stall in headless
 *  Chromium while nothing repaints, and the step then times out with the condition long true. */
const POLL = { polling: 100, timeout: STEP_MS };

if (!BASE) throw new Error("BASE_URL is not set");
mkdirSync(OUT, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "clovicharts-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
context.setDefaultTimeout(STEP_MS);
const page = context.pages()[0] || (await context.newPage());
const problems = [];
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`); });
page.on("dialog", (d) => d.accept());

let step = "start";
const log = (s) => { step = s; console.log(`step: ${s}`); };
const expect = (cond, what) => { if (!cond) throw new Error(`expected ${what}`); };

async function waitPreview(previous) {
  await page.waitForFunction((prev) => {
    const img = document.querySelector("#preview");
    return img && !img.hidden && img.src.startsWith("data:image/") && img.src !== prev && img.complete && img.naturalWidth > 0;
  }, previous, POLL);
  return page.$eval("#preview", (i) => i.src);
}

async function shots(name) {
  // A full-page shot draws the sticky header where the page is scrolled to, and toasts on top.
  await page.evaluate(() => { document.querySelector("#toast").textContent = ""; window.scrollTo(0, 0); });
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 1000 : 844 });
    await page.waitForTimeout(300);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(wide <= 0, `${name} at ${width} px without sideways scrolling (${wide} px too wide)`);
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1400, height: 1000 });
}

try {
  log("open /app");
  await page.goto(`${BASE}/app`);
  await page.waitForSelector("body[data-ready=true]");
  expect(await page.locator(".type-card").count() >= 15, "15 chart types in the picker");

  log("register");
  await page.click("a[href='#signin']");
  await page.click("#tab-register");
  const email = `ada+${Date.now()}@example.com`;
  await page.fill("#form-register input[name=name]", "Ada Lovelace");
  await page.fill("#form-register input[name=email]", email);
  await page.fill("#form-register input[name=password]", "correct horse battery");
  await page.click("#form-register button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#who-name")?.textContent === "Ada Lovelace", null, POLL);
  expect(page.url().endsWith("#builder"), "the builder after registering");

  log("build from the line example and see the preview");
  await page.click(".type-card[data-type=line]");
  let src = await waitPreview("");
  const spec = JSON.parse(await page.inputValue("#spec"));
  expect(spec.type === "line", "the line example in the editor");
  await page.waitForSelector("#valid-ok:not([hidden])");

  log("every validation error at its path, with its hint");
  const broken = structuredClone(spec);
  broken.data.datasets[0].data[1] = "lots";
  broken.options = { ...(broken.options || {}), theme: "neon" };
  await page.fill("#spec", JSON.stringify(broken, null, 2));
  await page.waitForFunction(() => document.querySelectorAll("#errors li").length >= 2, null, POLL);
  const paths = await page.$$eval("#errors .path", (els) => els.map((e) => e.textContent));
  expect(paths.includes("/data/datasets/0/data/1"), `an error at /data/datasets/0/data/1 (got ${paths})`);
  expect(paths.includes("/options/theme"), `an error at /options/theme (got ${paths})`);
  expect(await page.locator("#errors .hint").count() >= 1, "a hint");
  await page.locator("#errors .path", { hasText: "/options/theme" }).click();
  const selected = await page.$eval("#spec", (t) => t.value.slice(t.selectionStart, t.selectionEnd));
  expect(selected === '"neon"', `the editor selects the bad theme (got ${selected})`);
  await page.fill("#spec", JSON.stringify(spec, null, 2));
  // The same spec again: the preview is the same image (the same data URL), so wait for the
  // problems to clear and the preview to be current rather than for a new src.
  await page.waitForFunction(() => document.querySelectorAll("#errors li").length === 0
    && !document.querySelector("#valid-ok").hidden
    && !document.querySelector("#preview-box").classList.contains("stale"), null, POLL);

  log("edit in the data grid and the controls");
  await page.click("#tab-grid");
  await page.fill("#grid tbody tr:nth-child(1) td:nth-child(2) input", "9999");
  await page.click("#tab-json");
  const edited = JSON.parse(await page.inputValue("#spec"));
  expect(edited.data.datasets[0].data[0] === 9999, "the grid edit in the spec");
  await page.selectOption("#c-theme", "light");
  await page.fill("#c-width", "640");
  // Each edit previews on its own (debounced); wait for the one that has the last edit in it.
  await page.waitForFunction(() => document.querySelector("#preview-meta")?.textContent.startsWith("640×"), null, POLL);
  src = await waitPreview(src);
  const sized = JSON.parse(await page.inputValue("#spec"));
  expect(sized.options.theme === "light" && sized.options.width === 640, "the controls in the spec");
  await page.click("[data-code=python]");
  expect((await page.textContent("#code")).includes("requests.post("), "Python code");

  log("save");
  const title = `Browser flow ${Date.now()}`;
  const titled = { ...sized, options: { ...sized.options, title } };
  await page.fill("#spec", JSON.stringify(titled, null, 2));
  await waitPreview(src);
  await page.click("#save");
  await page.waitForFunction(() => document.querySelector("#saved")?.textContent.startsWith("Saved"), null, POLL);
  await shots("builder");

  log("find it in My charts");
  await page.click("a[data-nav=mine]");
  await page.waitForSelector(`#mine-list h3[title="${title}"]`);
  const cards = await page.locator("#mine-list .chart-card").count();
  expect(cards === 1, `only the saved chart in My charts, previews deleted (got ${cards})`);

  log("the gallery");
  await page.click("a[data-nav=gallery]");
  await page.waitForSelector(`#gallery-list h3[title="${title}"]`);
  await shots("gallery");

  log("create a key");
  await page.click("a[data-nav=keys]");
  await page.fill("#key-form input[name=name]", "CI pipeline");
  await page.click("#key-form button[type=submit]");
  await page.waitForSelector("#new-key:not([hidden])");
  const key = await page.textContent("#new-key-value");
  expect(/^cc_live_[0-9A-Za-z]{43}$/.test(key), `a cc_live_ key (got ${key})`);
  await page.waitForSelector("#keys-table tbody tr:has-text('CI pipeline') .badge.good");
  await shots("keys");

  log("revoke it");
  await page.click("#keys-table tbody tr:has-text('CI pipeline') button:has-text('Revoke')");
  await page.waitForSelector("#keys-table tbody tr:has-text('CI pipeline') .badge.bad:has-text('revoked')");
  const status = await (await fetch(`${BASE}/api/me`, { headers: { "X-API-Key": key } })).status;
  expect(status === 401, `the revoked key refused (got ${status})`);

  log("sign out");
  await page.click("#signout");
  await page.waitForSelector("a[href='#signin']:not([hidden])");

  expect(problems.length === 0, `no page errors (got ${problems.join("; ")})`);
  console.log("browser flow: ok");
} catch (e) {
  console.error(`browser flow failed at step "${step}": ${e.message}`);
  for (const p of problems) console.error(p);
  await page.screenshot({ path: join(OUT, "failure.png"), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
