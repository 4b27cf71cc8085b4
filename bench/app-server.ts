import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { killProcessGroupSync, onCleanup, stopProcessGroup, type Services } from "./services";

const root = process.cwd();
export const resultsDir = path.join(root, "bench/results");

/** A set-up command whose output goes to a log file; its tail is in the error when it fails. */
export function runStep(cmd: string, argv: string[], env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number, what: string, log: (m: string) => void) {
  log(`${what} (log: ${path.relative(root, logFile)})`);
  const r = spawnSync(cmd, argv, { env, cwd: root, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(logFile, `${r.stdout ?? ""}\n${r.stderr ?? ""}`);
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ""}\n${r.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(`${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ""}):\n${tail}`);
  }
}

/** The production server's environment on the benchmark's own database, with fresh secrets unless valid ones are set. */
export function serverEnvFor(services: Services, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: services.databaseUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET && process.env.NEXTAUTH_SECRET.length >= 32 ? process.env.NEXTAUTH_SECRET : randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY && Buffer.from(process.env.ENCRYPTION_KEY, "base64").length === 32 ? process.env.ENCRYPTION_KEY : randomBytes(32).toString("base64"),
    APP_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    ...extra,
  };
  if (services.redisUrl) env.REDIS_URL = services.redisUrl;
  else delete env.REDIS_URL;
  delete env.PGLITE_DIR;
  return env;
}

export async function waitForUrl(url: string, ok: (status: number) => boolean, timeoutMs: number, server: { exited: boolean }) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (server.exited) throw new Error("the server exited during start-up (see bench/results/server.log)");
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (ok(res.status)) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

/** The production launcher (`npm start`'s scripts/serve.mjs) on loopback, stopped by cleanup(); resolves once healthy. */
export async function startAppServer(env: NodeJS.ProcessEnv, port: number, log: (m: string) => void, nodeArgs: string[] = []) {
  const serverLog = createWriteStream(path.join(resultsDir, "server.log"));
  onCleanup("server log", async () => void serverLog.end());
  const server = spawn(process.execPath, [...nodeArgs, path.join(root, "scripts/serve.mjs"), "-p", String(port), "-H", "127.0.0.1"], { env, cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const state = { exited: false };
  server.on("exit", () => (state.exited = true));
  server.stdout!.on("data", (c: Buffer) => serverLog.writableEnded || serverLog.write(c));
  server.stderr!.on("data", (c: Buffer) => serverLog.writableEnded || serverLog.write(c));
  onCleanup("next server", () => stopProcessGroup(server), () => killProcessGroupSync(server));
  log(`scripts/serve.mjs on 127.0.0.1:${port} (pid ${server.pid}, WEB_CONCURRENCY ${env.WEB_CONCURRENCY ?? "= CPUs"}, log: bench/results/server.log)`);
  await waitForUrl(`http://127.0.0.1:${port}/api/v2/health`, (s) => s === 200, 60_000, state);
  return server;
}
