/**
 * `npm run bench`: production build, real Postgres (+ Redis), closed-loop load on loopback. Every figure is
 * a ratio against a baseline measured in the same run on the same server:
 *   - first_message (a new end user's first message, POST /api/v2/chat/message) against `bare`
 *     (POST /api/bench/bare: the same three row inserts and nothing else): goal >= 0.65, p95 <= 150 ms;
 *   - chat (the multi-turn mix on the chat API) against `bare`, for information;
 *   - floor (POST /api/bench/floor: a route handler that does nothing), for information: Next's own cost;
 *   - WhatsApp (bench/whatsapp-load.ts): signed webhook ack p95 <= 30 ms, and end to end (webhook in ->
 *     reply accepted by a fake Graph API) >= 0.70 of first_message's throughput with 0 lost, duplicated
 *     or reordered replies;
 *   - the widget's paint (bench/widget-paint.ts), the streamed-token latency and the router overhead.
 *
 * Flags: --no-build (reuse .next when BUILD_ID exists)  --serve S (set up, print port/key, keep serving S seconds, no load)  --connections N (32)  --warmup S (5)
 *        --duration S (10)  --max-requests N (200000)  --seed N (1)  --targets chat,first_message,bare,floor  --no-whatsapp
 *        --rounds N (2): measure the targets N times in alternating order (A B C, C B A, ...) and merge the
 *        samples, cancelling the small advantage of whichever target runs later on a warmer server.
 * Env:   DATABASE_URL (else a throwaway cluster via .ci/start-services.sh), REDIS_URL, BENCH_PORT,
 *        BENCH_SERVER_NODE_ARGS (extra node flags for the server processes only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 *        WEB_CONCURRENCY (server workers; default one per CPU).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { mergeSamples, runLoad, type Samples } from "./load";
import { startFakeCatalogProcess } from "./fake-catalog";
import { resultsDir, runStep, serverEnvFor, startAppServer } from "./app-server";
import { FIRST_MESSAGE, MULTI_TURN, mixLabel, type Scenario } from "./scenarios";
import { cleanup, freePort, installExitHandlers, onCleanup, startServices } from "./services";
import { table } from "./stats";
import { measureStreamLatency, type StreamLatencyResult } from "./stream-latency";
import { routerOverheadBench } from "./router-overhead";
import { benchFigures, figuresTable } from "./figures";
import { measureWidgetPaint } from "./widget-paint";
import { createWhatsappChannel, prepareWhatsappLoad, startBenchGraphApi, type WhatsappChannel } from "./whatsapp-load";

const CHAT = "/api/v2/chat/message";
type Target = { path: string; scenarios: Scenario[]; checkReplies: boolean };
const TARGETS: Record<"chat" | "first_message" | "bare" | "floor", Target> = {
  chat: { path: CHAT, scenarios: MULTI_TURN, checkReplies: true },
  first_message: { path: CHAT, scenarios: FIRST_MESSAGE, checkReplies: true },
  bare: { path: "/api/bench/bare", scenarios: FIRST_MESSAGE, checkReplies: false },
  // For information: Next.js answering a route that does nothing (app/api/bench/floor).
  floor: { path: "/api/bench/floor", scenarios: FIRST_MESSAGE, checkReplies: false },
};
type TargetName = keyof typeof TARGETS;
const GOALS = { minFirstMessageRatio: 0.65, maxP95Ms: 150, maxErrors: 0 };
const OVERALL_TIMEOUT_MS = 30 * 60_000;

const root = process.cwd();
const log = (m: string) => console.log(`[bench] ${m}`);

function args() {
  const argv = process.argv.slice(2);
  const val = (name: string, def: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
  };
  const targets = val("targets", "chat,first_message,bare,floor").split(",").map((t) => t.trim()) as TargetName[];
  for (const t of targets) if (!(t in TARGETS)) throw new Error(`unknown target ${t}`);
  return {
    build: !argv.includes("--no-build"),
    connections: Number(val("connections", "32")),
    warmupMs: Number(val("warmup", "5")) * 1000,
    durationMs: Number(val("duration", "10")) * 1000,
    maxRequests: Number(val("max-requests", "200000")),
    seed: Number(val("seed", "1")),
    serveS: Number(val("serve", "0")),
    rounds: Math.max(1, Number(val("rounds", "2"))),
    targets,
    whatsapp: !argv.includes("--no-whatsapp"),
  };
}

/** Whole-machine CPU counters (Linux), to report how busy the box was, including other processes. */
function cpuTicks(): { busy: number; total: number } | null {
  if (!existsSync("/proc/stat")) return null;
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}
const busyPct = (a: ReturnType<typeof cpuTicks>, b: ReturnType<typeof cpuTicks>) => (a && b && b.total > a.total ? Math.round((100 * (b.busy - a.busy)) / (b.total - a.total)) : null);

async function main() {
  const opts = args();
  installExitHandlers();
  mkdirSync(resultsDir, { recursive: true });
  const runId = randomBytes(4).toString("hex");
  const started = Date.now();

  // 1. Services, the local fake catalog the demo flow's integrations call, and the fake Graph API the WhatsApp replies go to.
  const services = await startServices(runId, log);
  log(`postgres: ${services.description}; redis: ${services.redisUrl ?? "in-memory (REDIS_URL unset)"}`);
  const catalog = await startFakeCatalogProcess();
  onCleanup("fake catalog", catalog.close);
  const graph = opts.whatsapp ? await startBenchGraphApi() : null;
  if (graph) onCleanup("fake Graph API", graph.close);
  const port = await freePort(Number(process.env.BENCH_PORT ?? 3310));
  // The fake model provider whose streamed tokens are timed into the widget's event stream (step 6).
  const providerPort = await freePort(port + 1);

  const serverEnv = serverEnvFor(services, port, {
    BENCH_MODE: "1",
    // Lets the flow's integration states reach the local fake catalog, and the WhatsApp channel the fake Graph API (older name kept for older builds).
    OUTBOUND_ALLOWED_HOSTS: [`127.0.0.1:${catalog.port}`, `127.0.0.1:${providerPort}`, ...(graph ? [graph.host] : [])].join(","),
    INTEGRATION_ALLOWED_HOSTS: `127.0.0.1:${catalog.port}`,
  });

  // 2. Migrations, then an enterprise tenant (no per-key cap) with the demo flow published (and a WhatsApp channel).
  runStep(path.join(root, "node_modules/.bin/tsx"), ["scripts/migrate.ts"], serverEnv, path.join(resultsDir, "migrate.log"), 120_000, "applying migrations", log);
  Object.assign(process.env, { DATABASE_URL: serverEnv.DATABASE_URL, NEXTAUTH_SECRET: serverEnv.NEXTAUTH_SECRET, ENCRYPTION_KEY: serverEnv.ENCRYPTION_KEY, APP_URL: serverEnv.APP_URL, OUTBOUND_ALLOWED_HOSTS: serverEnv.OUTBOUND_ALLOWED_HOSTS });
  const { openDb } = await import("@/db/client");
  const { sql } = await import("drizzle-orm");
  const { createTenantWithOwner } = await import("@/server/tenants/tenant-service");
  const { createApiKey } = await import("@/server/tenants/api-keys");
  const { createFlow, publishFlow } = await import("@/server/flow-store/flow-service");
  const { hashPassword } = await import("@/server/auth/passwords");
  const handle = openDb({ databaseUrl: services.databaseUrl, poolSize: 2 });
  let apiKey: string;
  let whatsapp: WhatsappChannel | null = null;
  try {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: `Bench ${runId}`, email: `bench-${runId}@bench.test`, passwordHash: await hashPassword(`bench-${runId}-password`), plan: "enterprise", verified: true });
    const flowJson = readFileSync(path.join(root, "server/flows/demo-flow.json"), "utf8").replaceAll("https://api.acme.example", `http://127.0.0.1:${catalog.port}`);
    const flow = await createFlow(handle.db, tenant.id, user.id, { name: "Bench demo flow", definition: JSON.parse(flowJson) });
    const published = await publishFlow(handle.db, tenant.id, user.id, flow.id);
    apiKey = (await createApiKey(handle.db, tenant.id, user.id, "Bench")).key;
    if (graph) whatsapp = await createWhatsappChannel(handle.db, tenant.id, user.id, graph);
    // The bare route writes into this tenant only: it takes no tenant from a request.
    Object.assign(serverEnv, { BENCH_TENANT_ID: tenant.id, BENCH_FLOW_VERSION_ID: published.id });
    log(`tenant ${tenant.id} (enterprise), demo flow published, integrations -> 127.0.0.1:${catalog.port}${graph ? `, WhatsApp -> fake Graph API ${graph.host}` : ""}`);
  } finally {
    await handle.close();
  }

  // 3. Production build and server.
  if (opts.build || !existsSync(path.join(root, ".next/BUILD_ID"))) {
    runStep(path.join(root, "node_modules/.bin/next"), ["build"], serverEnv, path.join(resultsDir, "build.log"), 15 * 60_000, "building for production (next build)", log);
  } else log("--no-build: reusing the existing .next build");
  // How busy the machine is before our server starts: anything here is other processes.
  const idleStart = cpuTicks();
  await new Promise((r) => setTimeout(r, 2000));
  const backgroundBusy = busyPct(idleStart, cpuTicks());
  if (backgroundBusy !== null) log(`machine CPU busy before start (other processes): ${backgroundBusy}%${backgroundBusy > 15 ? " -- results will be noisy" : ""}`);
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  // The production launcher (`npm start`): one `next start` worker per core on Postgres + Redis.
  const server = await startAppServer(serverEnv, port, log, nodeArgs);
  for (const t of opts.targets) {
    const res = await fetch(`http://127.0.0.1:${port}${TARGETS[t].path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: `bench-${runId}-probe-${t}`, channel: "web", content: { type: "text", text: "Hello" } }),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 200) throw new Error(`probe ${t} ${TARGETS[t].path} -> HTTP ${res.status}: ${(await res.text()).slice(0, 300)}${res.status === 404 && t === "bare" ? " (rebuild without --no-build?)" : ""}`);
  }
  const webhook = whatsapp && graph ? await prepareWhatsappLoad({ port, channel: whatsapp, graph, log }) : null;

  if (opts.serveS > 0) {
    writeFileSync(path.join(resultsDir, "serve.json"), JSON.stringify({ port, apiKey, pid: server.pid, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, runId, whatsapp: whatsapp && { public_key: whatsapp.publicKey, phone_number_id: whatsapp.phoneNumberId } }));
    log(`serving on 127.0.0.1:${port} for ${opts.serveS}s (details in bench/results/serve.json); Ctrl-C stops and cleans up`);
    await new Promise((r) => setTimeout(r, opts.serveS * 1000));
    return;
  }

  // 4. Load, one target after the other on the same server and database.
  const load = (t: TargetName, extra: { durationMs: number; seed: number; runId: string }) =>
    ({ target: t, port, path: TARGETS[t].path, scenarios: TARGETS[t].scenarios, checkReplies: TARGETS[t].checkReplies, apiKey, connections: opts.connections, warmupMs: opts.warmupMs, maxRequests: opts.maxRequests, requestTimeoutMs: 10_000, ...extra });
  // Prime every target first (JIT, module loading, pools), so the first measured target is not
  // penalised against later ones; each measured run then still has its own warm-up.
  for (const t of opts.targets) await runLoad(load(t, { durationMs: 1000, seed: opts.seed + 1000, runId: `${runId}p` }), () => {});
  log(`primed ${opts.targets.join(", ")} (${opts.warmupMs / 1000}s each, not recorded)`);
  // A fresh database has no planner statistics until autovacuum's first pass (up to a minute in), and
  // plans made without them would penalise whichever target runs first. A long-running database has them.
  const analyze = async (what: string) => {
    const analyzer = openDb({ databaseUrl: services.databaseUrl, poolSize: 1 });
    await analyzer.db.execute(sql`analyze`);
    await analyzer.close();
    log(`analyzed the database ${what} (planner statistics, as a long-running database has them)`);
  };
  await analyze("after priming");
  const collected = new Map<TargetName, { samples: Samples[]; busy: (number | null)[] }>(opts.targets.map((t) => [t, { samples: [], busy: [] }]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? opts.targets : [...opts.targets].reverse();
    for (const t of order) {
      const before = cpuTicks();
      const s = await runLoad(load(t, { durationMs: opts.durationMs, seed: opts.seed + round, runId: `${runId}r${round}` }), log);
      collected.get(t)!.samples.push(s.samples);
      collected.get(t)!.busy.push(busyPct(before, cpuTicks()));
      log(`[${t}]${opts.rounds > 1 ? ` round ${round + 1}:` : ""} ${s.requests} requests, ${s.throughput_rps} req/s, p95 ${s.p95_ms} ms, ${s.errors} errors`);
    }
  }
  const results = opts.targets.map((t) => {
    const c = collected.get(t)!;
    const busy = c.busy.filter((b): b is number => b !== null);
    return { ...mergeSamples(t, c.samples), path: TARGETS[t].path, scenarios: mixLabel(TARGETS[t].scenarios), machine_cpu_busy_pct: busy.length ? Math.round(busy.reduce((a, b) => a + b, 0) / busy.length) : null };
  });

  // 5. WhatsApp end to end, on a quiet server (no webhook backlog yet).
  // Measured as long as each target was in all its rounds together, so its figure is no noisier than theirs.
  const endToEnd = webhook ? await webhook.endToEnd({ connections: opts.connections, warmupMs: opts.warmupMs, durationMs: opts.durationMs * opts.rounds, afterWarmup: () => analyze("after the webhook warm-up") }) : null;

  // 6. The model path, after the load so it does not share the CPU with it: a streamed token's trip from the
  // provider to the widget's event stream on this production server, and the router's own overhead per call.
  const streamed: StreamLatencyResult = await measureStreamLatency({ served: { baseUrl: `http://127.0.0.1:${port}`, databaseUrl: services.databaseUrl }, providerPort, log });
  const router = await routerOverheadBench();
  // The widget's weight and its launcher's paint, in Chromium against its own loopback servers.
  const widget = await measureWidgetPaint({ log });

  // 7. Webhook acks last: every acknowledged event becomes a turn the workers are still running afterwards.
  const ack = webhook ? await webhook.ack({ connections: opts.connections, warmupMs: Math.min(opts.warmupMs, 3000), durationMs: Math.min(opts.durationMs, 10_000) }) : null;

  // 8. Report.
  const byName = (t: TargetName) => results.find((r) => r.target === t);
  const figures = benchFigures({ first: byName("first_message"), chat: byName("chat"), bare: byName("bare"), floor: byName("floor"), endToEnd, ack, streamed, router, widget }, GOALS);
  const pass = figures.length ? figures.every((f) => f.pass !== false) : null;
  if (backgroundBusy !== null) console.log(`\nmachine CPU busy before start: ${backgroundBusy}% (other processes); "machine CPU" below is the whole box during each measured phase`);
  console.log(`\n${opts.connections} connections, ${opts.warmupMs / 1000}s warm-up + ${opts.durationMs / 1000}s measured per target${opts.rounds > 1 ? ` x ${opts.rounds} rounds (alternating order)` : ""}, ${os.cpus().length} CPUs, node ${process.version}\n`);
  const rows = [["target", "scenarios", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "server mean ms", "machine CPU"]];
  for (const r of results) rows.push([r.target, r.scenarios, String(r.requests), String(r.errors), r.throughput_rps.toFixed(1), r.p50_ms.toFixed(1), r.p95_ms.toFixed(1), r.p99_ms.toFixed(1), r.server_mean_ms?.toFixed(1) ?? "-", r.machine_cpu_busy_pct === null ? "-" : `${r.machine_cpu_busy_pct}%`]);
  for (const w of [endToEnd, ack]) if (w) rows.push([w.target, w.scenarios, String(w.requests), String(w.errors), w.throughput_rps.toFixed(1), w.p50_ms.toFixed(1), w.p95_ms.toFixed(1), w.p99_ms.toFixed(1), "-", "-"]);
  console.log(table(rows));
  for (const r of [...results, ...(endToEnd ? [endToEnd] : []), ...(ack ? [ack] : [])]) {
    if (r.errors) console.log(`  ${r.target} errors: ${JSON.stringify(r.error_kinds)}`);
    if (r.unexpected_replies) console.log(`  ${r.target} unexpected bot replies: ${r.unexpected_replies} e.g. ${r.unexpected_examples.join(" | ")}`);
  }
  const chat = byName("chat");
  if (chat) console.log(`\n${table([["chat turn", "requests", "p50 ms", "p95 ms"], ...Object.entries(chat.by_turn).map(([k, v]) => [k, String(v.requests), String(v.p50_ms), String(v.p95_ms)])])}`);
  console.log(`\n${figuresTable(figures)}`);
  if (pass !== null) console.log(`\nRESULT: ${pass ? "PASS" : "FAIL"}`);
  const report = {
    timestamp: new Date().toISOString(),
    run_id: runId,
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    background_cpu_busy_pct: backgroundBusy,
    config: { ...opts, postgres: services.description, redis: services.redisUrl ? "redis" : "memory", fake_catalog_requests: await catalog.requests() },
    results,
    whatsapp: { end_to_end: endToEnd, ack },
    stream_latency: streamed,
    router_overhead: router,
    widget_paint: widget,
    figures,
    pass,
    total_seconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(path.join(resultsDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to bench/results/latest.json`);
}

const watchdog = setTimeout(() => {
  console.error(`[bench] overall timeout (${OVERALL_TIMEOUT_MS / 60_000} min)`);
  void cleanup().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);

main()
  .then(async () => {
    await cleanup();
    clearTimeout(watchdog);
    process.exit(0);
  })
  .catch(async (e) => {
    console.error(`[bench] setup failed: ${e instanceof Error ? e.message : String(e)}`);
    await cleanup();
    clearTimeout(watchdog);
    process.exit(1);
  });
