// Production server: Next (scripts/next-worker.mjs) in WEB_CONCURRENCY worker processes sharing one port (node:cluster),
// so a self-hosted install uses every core. Usage: node scripts/serve.mjs [-p PORT] [-H HOST]
//
// Workers share nothing but the database and the cache, so more than one needs Postgres (PGlite is a
// single-process database) and Redis (in-memory rate limits would be per process); without both it runs
// one worker. A worker that dies is replaced; one that dies within START_GRACE_MS of starting stops the
// server instead of looping.
import cluster from "node:cluster";
import os from "node:os";
import { fileURLToPath } from "node:url";

const START_GRACE_MS = 15_000;

function option(short, long, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === short || a === long);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

function workerCount() {
  const shared = Boolean(process.env.DATABASE_URL) && Boolean(process.env.REDIS_URL || process.env.UPSTASH_REDIS_REST_URL);
  const requested = process.env.WEB_CONCURRENCY ? Number.parseInt(process.env.WEB_CONCURRENCY, 10) : os.availableParallelism();
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`WEB_CONCURRENCY must be a positive integer, got "${process.env.WEB_CONCURRENCY}"`);
  if (!shared && requested > 1 && process.env.WEB_CONCURRENCY) console.warn("[serve] WEB_CONCURRENCY > 1 needs DATABASE_URL and REDIS_URL; running one worker");
  return shared ? requested : 1;
}

const port = option("-p", "--port", process.env.PORT ?? "3000");
// Like `next start`: all interfaces unless -H is given.
const host = option("-H", "--hostname", null);
const workers = workerCount();
let stopping = false;
let exitCode = 0;

cluster.setupPrimary({ exec: fileURLToPath(new URL("./next-worker.mjs", import.meta.url)), args: ["-p", port, ...(host ? ["-H", host] : [])] });

function fork() {
  const worker = cluster.fork();
  worker.startedAt = Date.now();
}

cluster.on("exit", (worker, code, signal) => {
  if (stopping) {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
    return;
  }
  console.error(`[serve] worker ${worker.process.pid} exited (${signal ?? code})`);
  if (Date.now() - worker.startedAt < START_GRACE_MS) {
    console.error("[serve] it died during start-up; stopping");
    shutdown("SIGTERM", 1);
    return;
  }
  fork();
});

function shutdown(signal, code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  setTimeout(() => process.exit(exitCode), 10_000).unref();
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => shutdown(signal));

console.log(`[serve] ${workers} worker${workers === 1 ? "" : "s"} on ${host ?? "all interfaces"}, port ${port}`);
for (let i = 0; i < workers; i++) fork();
