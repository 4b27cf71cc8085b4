/**
 * `npm run bench`: production build, real Postgres (+ Redis), weighted multi-turn load on loopback against
 * the chat pipeline (POST /api/v2/chat/message) and the bare-insert ceiling (POST /api/bench/ceiling).
 *
 * Flags: --no-build (reuse .next when BUILD_ID exists)  --serve S (set up, print port/key, keep serving S seconds, no load)  --connections N (32)  --warmup S (5)
 *        --duration S (20)  --max-requests N (200000)  --seed N (1)  --targets pipeline,ceiling
 *        --rounds N (1): measure the targets N times in alternating order (A B, B A, ...) and merge the
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
import { cleanup, freePort, installExitHandlers, onCleanup, startServices } from "./services";
import { table, type Summary } from "./stats";
import { measureStreamLatency, type StreamLatencyResult } from "./stream-latency";
import { routerOverheadBench } from "./router-overhead";

const TARGETS = { pipeline: "/api/v2/chat/message", ceiling: "/api/bench/ceiling" } as const;
const GOALS = { minRatio: 0.7, maxP95Ms: 150, maxErrors: 0 };
const OVERALL_TIMEOUT_MS = 30 * 60_000;

const root = process.cwd();
const log = (m: string) => console.log(`[bench] ${m}`);

function args() {
  const argv = process.argv.slice(2);
  const val = (name: string, def: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
  };
  const targets = val("targets", "pipeline,ceiling").split(",").map((t) => t.trim()) as (keyof typeof TARGETS)[];
  for (const t of targets) if (!(t in TARGETS)) throw new Error(`unknown target ${t}`);
  return {
    build: !argv.includes("--no-build"),
    connections: Number(val("connections", "32")),
    warmupMs: Number(val("warmup", "5")) * 1000,
    durationMs: Number(val("duration", "20")) * 1000,
    maxRequests: Number(val("max-requests", "200000")),
    seed: Number(val("seed", "1")),
    serveS: Number(val("serve", "0")),
    rounds: Math.max(1, Number(val("rounds", "1"))),
    targets,
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

  // 1. Services and the local fake catalog the demo flow's integrations call.
  const services = await startServices(runId, log);
  log(`postgres: ${services.description}; redis: ${services.redisUrl ?? "in-memory (REDIS_URL unset)"}`);
  const catalog = await startFakeCatalogProcess();
  onCleanup("fake catalog", catalog.close);
  const port = await freePort(Number(process.env.BENCH_PORT ?? 3310));
  // The fake model provider whose streamed tokens are timed into the widget's event stream (step 6).
  const providerPort = await freePort(port + 1);

  const serverEnv = serverEnvFor(services, port, {
    BENCH_MODE: "1",
    // Lets the flow's integration states reach the local fake catalog (older name kept for older builds).
    OUTBOUND_ALLOWED_HOSTS: `127.0.0.1:${catalog.port},127.0.0.1:${providerPort}`,
    INTEGRATION_ALLOWED_HOSTS: `127.0.0.1:${catalog.port}`,
  });

  // 2. Migrations, then an enterprise tenant (no per-key cap) with the demo flow published.
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
  try {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: `Bench ${runId}`, email: `bench-${runId}@bench.test`, passwordHash: await hashPassword(`bench-${runId}-password`), plan: "enterprise", verified: true });
    const flowJson = readFileSync(path.join(root, "server/flows/demo-flow.json"), "utf8").replaceAll("https://api.acme.example", `http://127.0.0.1:${catalog.port}`);
    const flow = await createFlow(handle.db, tenant.id, user.id, { name: "Bench demo flow", definition: JSON.parse(flowJson) });
    await publishFlow(handle.db, tenant.id, user.id, flow.id);
    apiKey = (await createApiKey(handle.db, tenant.id, user.id, "Bench")).key;
    log(`tenant ${tenant.id} (enterprise), demo flow published, integrations -> 127.0.0.1:${catalog.port}`);
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
    const res = await fetch(`http://127.0.0.1:${port}${TARGETS[t]}`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: `bench-${runId}-probe-${t}`, channel: "web", content: { type: "text", text: "Hello" } }),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 200) throw new Error(`probe ${t} ${TARGETS[t]} -> HTTP ${res.status}: ${(await res.text()).slice(0, 300)}${res.status === 404 && t === "ceiling" ? " (rebuild without --no-build?)" : ""}`);
  }

  if (opts.serveS > 0) {
    writeFileSync(path.join(resultsDir, "serve.json"), JSON.stringify({ port, apiKey, pid: server.pid, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, runId }));
    log(`serving on 127.0.0.1:${port} for ${opts.serveS}s (details in bench/results/serve.json); Ctrl-C stops and cleans up`);
    await new Promise((r) => setTimeout(r, opts.serveS * 1000));
    return;
  }

  // 4. Load, one target after the other on the same server and database.
  const results: (ReturnType<typeof mergeSamples> & { path: string; machine_cpu_busy_pct: number | null })[] = [];
  // Prime every target first (JIT, module loading, pools), so the first measured target is not
  // penalised against later ones; each measured run then still has its own warm-up.
  for (const t of opts.targets) {
    await runLoad({ target: t, port, path: TARGETS[t], apiKey, connections: opts.connections, warmupMs: opts.warmupMs, durationMs: 1000, maxRequests: opts.maxRequests, requestTimeoutMs: 10_000, seed: opts.seed + 1000, runId: `${runId}p` }, () => {});
  }
  log(`primed ${opts.targets.join(", ")} (${opts.warmupMs / 1000}s each, not recorded)`);
  // A fresh database has no planner statistics until autovacuum's first pass (up to a minute in), and
  // plans made without them would penalise whichever target runs first. A long-running database has them.
  const analyzer = openDb({ databaseUrl: services.databaseUrl, poolSize: 1 });
  await analyzer.db.execute(sql`analyze`);
  await analyzer.close();
  log("analyzed the database (planner statistics, as a long-running database has them)");
  const collected = new Map<string, { samples: Samples[]; busy: (number | null)[] }>(opts.targets.map((t) => [t, { samples: [], busy: [] }]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? opts.targets : [...opts.targets].reverse();
    for (const t of order) {
      const before = cpuTicks();
      const s = await runLoad({ target: t, port, path: TARGETS[t], apiKey, connections: opts.connections, warmupMs: opts.warmupMs, durationMs: opts.durationMs, maxRequests: opts.maxRequests, requestTimeoutMs: 10_000, seed: opts.seed + round, runId: `${runId}r${round}` }, log);
      collected.get(t)!.samples.push(s.samples);
      collected.get(t)!.busy.push(busyPct(before, cpuTicks()));
      log(`[${t}]${opts.rounds > 1 ? ` round ${round + 1}:` : ""} ${s.requests} requests, ${s.throughput_rps} req/s, p95 ${s.p95_ms} ms, ${s.errors} errors`);
    }
  }
  for (const t of opts.targets) {
    const c = collected.get(t)!;
    const busy = c.busy.filter((b): b is number => b !== null);
    results.push({ ...mergeSamples(t, c.samples), path: TARGETS[t], machine_cpu_busy_pct: busy.length ? Math.round(busy.reduce((a, b) => a + b, 0) / busy.length) : null });
  }

  // 5. The model path, after the load so it does not share the CPU with it: a streamed token's trip from the
  // provider to the widget's event stream on this production server, and the router's own overhead per call.
  const streamed: StreamLatencyResult = await measureStreamLatency({ served: { baseUrl: `http://127.0.0.1:${port}`, databaseUrl: services.databaseUrl }, providerPort, log });
  const router = await routerOverheadBench();

  // 6. Report.
  const pipeline = results.find((r) => r.target === "pipeline");
  const ceiling = results.find((r) => r.target === "ceiling");
  const ratio = pipeline && ceiling && ceiling.throughput_rps > 0 ? pipeline.throughput_rps / ceiling.throughput_rps : null;
  const checks = pipeline
    ? {
        throughput_ratio: { goal: `>= ${GOALS.minRatio * 100}% of ceiling`, value: ratio, pass: ratio !== null && ratio >= GOALS.minRatio },
        p95: { goal: `< ${GOALS.maxP95Ms} ms`, value: pipeline.p95_ms, pass: pipeline.p95_ms < GOALS.maxP95Ms },
        errors: { goal: `${GOALS.maxErrors}`, value: pipeline.errors, pass: pipeline.errors <= GOALS.maxErrors },
        stream_token_p95_ms: { goal: `<= ${streamed.goal_p95_ms} ms`, value: streamed.p95_ms, pass: streamed.pass },
        router_overhead_p50_ms: { goal: `<= ${router.goals.p50_ms} ms`, value: router.p50_ms, pass: router.p50_ms <= router.goals.p50_ms },
        router_overhead_p99_ms: { goal: `<= ${router.goals.p99_ms} ms`, value: router.p99_ms, pass: router.p99_ms <= router.goals.p99_ms },
      }
    : null;
  const pass = checks ? Object.values(checks).every((c) => c.pass) : null;
  const rows = [["target", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "server mean ms", "machine CPU"]];
  for (const r of results) rows.push([r.target, String(r.requests), String(r.errors), r.throughput_rps.toFixed(1), r.p50_ms.toFixed(1), r.p95_ms.toFixed(1), r.p99_ms.toFixed(1), r.server_mean_ms?.toFixed(1) ?? "-", r.machine_cpu_busy_pct === null ? "-" : `${r.machine_cpu_busy_pct}%`]);
  if (backgroundBusy !== null) console.log(`\nmachine CPU busy before start: ${backgroundBusy}% (other processes); "machine CPU" below is the whole box during each measured phase`);
  console.log(`\n${opts.connections} connections, ${opts.warmupMs / 1000}s warm-up + ${opts.durationMs / 1000}s measured per target${opts.rounds > 1 ? ` x ${opts.rounds} rounds (alternating order)` : ""}, ${os.cpus().length} CPUs, node ${process.version}, scenarios simple_qa 60% / product_search 25% / support_escalation 15%\n`);
  console.log(table(rows));
  for (const r of results) {
    if (r.errors) console.log(`  ${r.target} errors: ${JSON.stringify(r.error_kinds)}`);
    if (r.unexpected_replies) console.log(`  ${r.target} unexpected bot replies: ${r.unexpected_replies} e.g. ${r.unexpected_examples.join(" | ")}`);
  }
  if (pipeline) {
    const turnRows = [["pipeline turn", "requests", "p50 ms", "p95 ms"], ...Object.entries(pipeline.by_turn).map(([k, v]) => [k, String(v.requests), String(v.p50_ms), String(v.p95_ms)])];
    console.log(`\n${table(turnRows)}`);
  }
  if (ratio !== null) console.log(`\npipeline / ceiling throughput: ${(ratio * 100).toFixed(1)}%`);
  if (checks) {
    for (const [name, c] of Object.entries(checks)) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${name}: ${typeof c.value === "number" && name === "throughput_ratio" ? `${(c.value * 100).toFixed(1)}%` : c.value} (goal ${c.goal})`);
    console.log(`\nRESULT: ${pass ? "PASS" : "FAIL"}`);
  }
  const report = {
    timestamp: new Date().toISOString(),
    run_id: runId,
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    background_cpu_busy_pct: backgroundBusy,
    config: { ...opts, scenarios: { simple_qa: 60, product_search: 25, support_escalation: 15 }, postgres: services.description, redis: services.redisUrl ? "redis" : "memory", fake_catalog_requests: await catalog.requests() },
    results,
    ratio,
    stream_latency: streamed,
    router_overhead: router,
    checks,
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
