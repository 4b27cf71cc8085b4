/**
 * `npm run bench:editor`: the flow editor's speed on a generated flow of 300 states and 600 transitions, in
 * Chromium against a production build on loopback, next to baselines measured in the same run: the same
 * editor on a one-state flow (what the size of the flow costs), and the account page (a dashboard page that
 * neither holds nor links to the editor, for the editor's own JavaScript).
 *
 * Measures (medians of --repeat navigations):
 *   interactive: navigation start -> a click on a node has opened its side panel (clicked every 50 ms
 *                from the first painted node, so a click before hydration is simply repeated)
 *   drag:        frames per second while a node is dragged for ~1.5 s (requestAnimationFrame count)
 *   validation:  a transition's target is changed in the side panel -> the issue list names the problem
 *   JS:          the JavaScript the editor route loads, gzipped (every script response, compressed here)
 * Flags: --no-build  --states N (300)  --repeat N (5)
 *        --profile: also record one editor navigation's CPU profile to bench/results/flow-editor.cpuprofile
 *        (open it in Chrome DevTools; build with productionBrowserSourceMaps for readable names)
 * Env:   DATABASE_URL / REDIS_URL (else throwaway services, as `npm run bench`), CHROMIUM_PATH (/usr/bin/chromium).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "@playwright/test";
import { resultsDir, runStep, serverEnvFor, startAppServer } from "./app-server";
import { generateFlow } from "./generated-flow";
import { cleanup, freePort, installExitHandlers, onCleanup, startServices } from "./services";
import { table } from "./stats";

const GOALS = { interactiveMs: 1500, dragFps: 50, validationMs: 100 };
const root = process.cwd();
const log = (m: string) => console.log(`[bench:editor] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

function args() {
  const argv = process.argv.slice(2);
  const val = (name: string, def: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
  };
  return { build: !argv.includes("--no-build"), profile: argv.includes("--profile"), states: Number(val("states", "300")), repeat: Math.max(1, Number(val("repeat", "5"))) };
}

async function login(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByTestId("email").fill(email);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("login-button").click();
  await page.waitForURL(/\/dashboard/, { timeout: 60_000 });
}

/**
 * A point inside an element matching `selector`, found by hit-testing a grid of points over the canvas from
 * its middle outwards: a big flow fitted to the view runs past its edges, and the corners hold the minimap
 * and the zoom controls. Hit tests, not a measure of every node: the probe must not cost the page much.
 */
function pointOn(page: Page, selector: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((sel) => {
    const area = (document.querySelector('[data-testid="flow-canvas"]') ?? document.body).getBoundingClientRect();
    const points: { x: number; y: number; d: number }[] = [];
    // Fine enough to land on a node a tenth of its size, which a 300-state flow fitted to the view is.
    const steps = 64;
    for (let i = 1; i < steps; i++) {
      for (let j = 1; j < steps; j++) {
        const x = area.left + (area.width * i) / steps;
        const y = area.top + (area.height * j) / steps;
        points.push({ x, y, d: Math.hypot(i - steps / 2, j - steps / 2) });
      }
    }
    points.sort((a, b) => a.d - b.d);
    for (const p of points) {
      if (document.elementFromPoint(p.x, p.y)?.closest(sel)) return { x: p.x, y: p.y };
    }
    return null;
  }, selector);
}

/** Navigation start -> the page answers a click on `selector` by showing `answer`; retries the click until it does. */
type Load = { interactive: number; html: number; domReady: number; firstPaint: number };
async function timeToInteractive(page: Page, url: string, selector: string, answer: string): Promise<Load> {
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(selector).first().waitFor({ state: "attached", timeout: 60_000 });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const at = await pointOn(page, selector);
    if (at) await page.mouse.click(at.x, at.y);
    if (await page.evaluate((sel) => document.querySelector(sel) !== null, answer)) {
      const interactive = await page.evaluate(() => performance.now());
      // A string, not a function: tsx's name-keeping helper does not exist in the page.
      const timing = await page.evaluate<{ html: number; domReady: number; firstPaint: number }>(`(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return { html: nav.responseEnd, domReady: nav.domContentLoadedEventEnd, firstPaint: paint ? paint.startTime : 0 };
      })()`);
      return { interactive, ...timing };
    }
    await page.waitForTimeout(50);
  }
  const shot = path.join(resultsDir, "editor-failure.png");
  await page.screenshot({ path: shot });
  throw new Error(`${url}: ${answer} never appeared after clicking ${selector} (screenshot: ${path.relative(root, shot)})`);
}

/** Frames painted per second while the mouse drags `selector` in small steps for about 1.5 s. */
async function dragFps(page: Page, selector: string): Promise<number> {
  const start = await pointOn(page, selector);
  if (!start) throw new Error(`no ${selector} inside the canvas to drag`);
  const { x, y } = start;
  // A string, not a function: tsx's name-keeping helper does not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__counting = true;
    const tick = (t) => {
      if (!window.__counting) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(x, y);
  await page.mouse.down();
  const steps = 90;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x + i * 3, y + Math.sin(i / 6) * 40);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __counting: boolean };
    w.__counting = false;
    return w.__frames;
  });
  const span = (frames.at(-1)! - frames[0]!) / 1000;
  return span > 0 ? (frames.length - 1) / span : 0;
}

/** Time from a change in the side panel's target field to the issue list naming the unknown target. */
async function validationLatency(page: Page, target: string): Promise<number> {
  // A string, not a function: tsx's name-keeping helper does not exist in the page.
  return page.evaluate<number>(`(async (name) => {
    const input = document.querySelector('[data-testid="state-panel"] [data-field="transitions.0.target_state"]');
    if (!input) throw new Error("no transitions.0.target_state field in the state panel");
    const issues = () => document.querySelector('[data-testid="flow-issues"]')?.textContent ?? "";
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    const started = performance.now();
    setter.call(input, name);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return new Promise((resolve, reject) => {
      const check = () => {
        if (issues().includes(name)) resolve(performance.now() - started);
        else if (performance.now() - started > 10000) reject(new Error("the issue list never named " + name));
        else requestAnimationFrame(check);
      };
      check();
    });
  })(${JSON.stringify(target)})`);
}

async function scriptBytes(browser: Browser, storage: string, url: string): Promise<{ files: number; raw: number; gzip: number }> {
  const context = await browser.newContext({ storageState: storage });
  const page = await context.newPage();
  const bodies: Promise<Buffer>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() === "script") bodies.push(res.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const all = await Promise.all(bodies);
  await context.close();
  return { files: all.length, raw: all.reduce((n, b) => n + b.length, 0), gzip: all.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) };
}

async function main() {
  const opts = args();
  installExitHandlers();
  mkdirSync(resultsDir, { recursive: true });
  const runId = randomBytes(4).toString("hex");
  const services = await startServices(runId, log);
  const port = await freePort(Number(process.env.BENCH_PORT ?? 3320));
  // One worker: the browser needs the other core.
  const env = serverEnvFor(services, port, { WEB_CONCURRENCY: "1", LOGINS_PER_ADDRESS: "1000" });
  runStep(path.join(root, "node_modules/.bin/tsx"), ["scripts/migrate.ts"], env, path.join(resultsDir, "migrate.log"), 120_000, "applying migrations", log);

  Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, NEXTAUTH_SECRET: env.NEXTAUTH_SECRET, ENCRYPTION_KEY: env.ENCRYPTION_KEY, APP_URL: env.APP_URL });
  const { openDb } = await import("@/db/client");
  const { createTenantWithOwner } = await import("@/server/tenants/tenant-service");
  const { createFlow } = await import("@/server/flow-store/flow-service");
  const { hashPassword } = await import("@/server/auth/passwords");
  const email = `editor-${runId}@bench.test`;
  const password = `bench-${runId}-password`;
  const handle = openDb({ databaseUrl: services.databaseUrl, poolSize: 1 });
  let flowId: string;
  let smallFlowId: string;
  try {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: `Editor bench ${runId}`, email, passwordHash: await hashPassword(password), verified: true });
    flowId = (await createFlow(handle.db, tenant.id, user.id, { name: `Generated ${opts.states}`, definition: generateFlow(opts.states) })).id;
    smallFlowId = (await createFlow(handle.db, tenant.id, user.id, { name: "One state", definition: generateFlow(1) })).id;
  } finally {
    await handle.close();
  }
  log(`flow of ${opts.states} states / ${opts.states * 2} transitions created`);

  if (opts.build || !existsSync(path.join(root, ".next/BUILD_ID"))) {
    runStep(path.join(root, "node_modules/.bin/next"), ["build"], env, path.join(resultsDir, "build.log"), 15 * 60_000, "building for production (next build)", log);
  } else log("--no-build: reusing the existing .next build");
  await startAppServer(env, port, log);

  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  onCleanup("chromium", () => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await login(page, base, email, password);
  const storage = path.join(resultsDir, `editor-session-${runId}.json`);
  await context.storageState({ path: storage });
  // The file holds a session cookie: gone with the run.
  onCleanup("session file", async () => rmSync(storage, { force: true }), () => rmSync(storage, { force: true }));

  const editorUrl = `${base}/dashboard/flows/${flowId}`;
  const smallUrl = `${base}/dashboard/flows/${smallFlowId}`;
  const node = '[data-testid="flow-node"]';
  const panel = '[data-testid="state-panel"]';
  // First opens: the flows had no positions, so the editor lays them out and saves them, as after an import.
  // Later opens are what an author sees every day; they also run on warm server caches.
  for (const url of [editorUrl, smallUrl]) {
    await timeToInteractive(page, url, node, panel);
    await page.getByTestId("save-status").filter({ hasText: /^Saved$/ }).waitFor({ timeout: 30_000 });
  }

  const editor: Load[] = [];
  const baseline: Load[] = [];
  for (let i = 0; i < opts.repeat; i++) {
    baseline.push(await timeToInteractive(page, smallUrl, node, panel));
    editor.push(await timeToInteractive(page, editorUrl, node, panel));
  }
  if (opts.profile) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
    await timeToInteractive(page, editorUrl, node, panel);
    const { profile } = await cdp.send("Profiler.stop");
    writeFileSync(path.join(resultsDir, "flow-editor.cpuprofile"), JSON.stringify(profile));
    log("CPU profile of one editor navigation: bench/results/flow-editor.cpuprofile");
  }
  const fps = await dragFps(page, node);
  const validation: number[] = [];
  for (let i = 0; i < opts.repeat; i++) validation.push(await validationLatency(page, `nowhere_${i}`));
  const editorJs = await scriptBytes(browser, storage, editorUrl);
  const plainJs = await scriptBytes(browser, storage, `${base}/dashboard/account`);
  const med = (loads: Load[], key: keyof Load) => Math.round(median(loads.map((l) => l[key])));

  const results = {
    interactive_ms: { editor: med(editor, "interactive"), one_state_baseline: med(baseline, "interactive"), samples: editor.map((l) => Math.round(l.interactive)) },
    html_received_ms: { editor: med(editor, "html"), one_state_baseline: med(baseline, "html") },
    dom_ready_ms: { editor: med(editor, "domReady"), one_state_baseline: med(baseline, "domReady") },
    first_paint_ms: { editor: med(editor, "firstPaint"), one_state_baseline: med(baseline, "firstPaint") },
    drag_fps: Math.round(fps),
    validation_ms: { median: Math.round(median(validation)), max: Math.round(Math.max(...validation)), samples: validation.map(Math.round) },
    js_gzip_bytes: { editor: editorJs.gzip, account_page_baseline: plainJs.gzip, editor_only: editorJs.gzip - plainJs.gzip, editor_files: editorJs.files },
  };
  const checks = {
    interactive: { goal: `<= ${GOALS.interactiveMs} ms`, value: results.interactive_ms.editor, pass: results.interactive_ms.editor <= GOALS.interactiveMs },
    drag: { goal: `>= ${GOALS.dragFps} fps`, value: results.drag_fps, pass: results.drag_fps >= GOALS.dragFps },
    validation: { goal: `<= ${GOALS.validationMs} ms`, value: results.validation_ms.median, pass: results.validation_ms.median <= GOALS.validationMs },
  };
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`\nflow of ${opts.states} states / ${opts.states * 2} transitions, ${opts.repeat} navigations each, Chromium headless, production build, 1 server worker\n`);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "-");
  const row = (label: string, m: { editor: number; one_state_baseline: number }) => [label, String(m.editor), String(m.one_state_baseline), ratio(m.editor, m.one_state_baseline)];
  console.log(
    table([
      ["measure (ms from navigation, median)", `${opts.states} states`, "baseline: 1 state", "ratio"],
      row("HTML received", results.html_received_ms),
      row("first paint", results.first_paint_ms),
      row("DOM ready", results.dom_ready_ms),
      row("interactive (a node click opens its panel)", results.interactive_ms),
    ]),
  );
  console.log(`\ndrag: ${results.drag_fps} frames/s; validation shown ${results.validation_ms.median} ms after a change (median; max ${results.validation_ms.max})`);
  console.log(`JavaScript (gzip): editor route ${kb(editorJs.gzip)} in ${editorJs.files} files; account page ${kb(plainJs.gzip)}; the editor's own ${kb(results.js_gzip_bytes.editor_only)}`);
  for (const [name, c] of Object.entries(checks)) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${name}: ${c.value} (goal ${c.goal})`);
  const pass = Object.values(checks).every((c) => c.pass);
  console.log(`\nRESULT: ${pass ? "PASS" : "FAIL"}`);
  writeFileSync(path.join(resultsDir, "flow-editor.json"), `${JSON.stringify({ timestamp: new Date().toISOString(), run_id: runId, states: opts.states, results, checks, pass }, null, 2)}\n`);
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (e) => {
    console.error(`[bench:editor] failed: ${e instanceof Error ? e.stack : String(e)}`);
    await cleanup();
    process.exit(1);
  });
