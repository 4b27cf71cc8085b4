import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import net from "node:net";

/** Cleanup steps, run last-in first-out on normal exit, on error and on SIGINT/SIGTERM. */
type Step = { name: string; async: () => Promise<void>; sync: () => void };
const steps: Step[] = [];
let cleaning: Promise<void> | null = null;

export function onCleanup(name: string, async: () => Promise<void>, sync: () => void = () => {}): void {
  steps.push({ name, async, sync });
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (steps.length) {
      const step = steps.pop()!;
      try {
        await Promise.race([step.async(), new Promise((_, rej) => setTimeout(() => rej(new Error("timed out")), 15_000))]);
      } catch (e) {
        console.error(`[bench] cleanup ${step.name} failed: ${(e as Error).message}; forcing`);
        try {
          step.sync();
        } catch {
          // best effort
        }
      }
    }
  })();
  return cleaning;
}

let handlersInstalled = false;
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      console.error(`\n[bench] ${sig}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // Last resort if the process exits without awaiting cleanup(): synchronous steps only.
  process.on("exit", () => {
    while (steps.length) {
      try {
        steps.pop()!.sync();
      } catch {
        // best effort
      }
    }
  });
}

export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

export async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 200; p++) if (await portFree(p)) return p;
  throw new Error(`no free port in ${from}..${from + 199}`);
}

/** Stops a child started with detached: true, signalling its whole process group (it is the group leader). */
export function stopProcessGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export function killProcessGroupSync(child: ChildProcess): void {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

export type Services = { databaseUrl: string; redisUrl: string | undefined; description: string };

/**
 * DATABASE_URL set: a fresh `bench_<random>` database on that server, dropped afterwards.
 * Unset: a throwaway PostgreSQL cluster + Redis via .ci/start-services.sh on free ports, stopped afterwards.
 * REDIS_URL set: used as is; otherwise a throwaway redis-server when one is installed.
 */
export async function startServices(runId: string, log: (m: string) => void): Promise<Services> {
  const external = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL || undefined;
  if (external) {
    const { default: postgres } = await import("postgres");
    const dbName = `bench_${runId}`;
    const admin = postgres(external, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${dbName}`);
    } finally {
      await admin.end({ timeout: 5 });
    }
    const dropDb = async () => {
      const a = postgres(external, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${dbName} with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    };
    onCleanup(`drop database ${dbName}`, dropDb);
    const url = new URL(external);
    url.pathname = `/${dbName}`;
    if (!redisUrl) redisUrl = await startRedis(log);
    return { databaseUrl: url.toString(), redisUrl, description: `database ${dbName} on ${url.host} (dropped afterwards)` };
  }

  if (process.getuid?.() !== 0) throw new Error("DATABASE_URL is unset and starting a throwaway cluster (.ci/start-services.sh) needs root; set DATABASE_URL instead.");
  const pgPort = await freePort(Number(process.env.BENCH_PGPORT ?? 55532));
  const redisPort = await freePort(Number(process.env.BENCH_REDIS_PORT ?? 56479));
  log(`starting throwaway PostgreSQL on 127.0.0.1:${pgPort} and Redis on :${redisPort} (.ci/start-services.sh)`);
  const result = spawnSync("bash", [".ci/start-services.sh"], { env: { ...process.env, PGPORT: String(pgPort), REDIS_PORT: String(redisPort) }, encoding: "utf8", timeout: 120_000 });
  const exported = Object.fromEntries([...(result.stdout ?? "").matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  const pgData = exported.CI_PGDATA;
  const pgBin = execFileSync("bash", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1"], { encoding: "utf8" }).trim();
  const stopPg = () => {
    if (pgData && existsSync(pgData)) {
      spawnSync("su", ["postgres", "-c", `${pgBin}/pg_ctl -D ${pgData} -m immediate -w stop`], { stdio: "ignore", timeout: 30_000 });
      rmSync(pgData, { recursive: true, force: true });
    }
  };
  const stopRedis = () => void spawnSync("redis-cli", ["-p", String(redisPort), "shutdown", "nosave"], { stdio: "ignore", timeout: 10_000 });
  onCleanup("stop postgres", async () => stopPg(), stopPg);
  if (exported.REDIS_URL && !redisUrl) onCleanup("stop redis", async () => stopRedis(), stopRedis);
  if (result.status !== 0 || !exported.DATABASE_URL) throw new Error(`.ci/start-services.sh failed (${result.status}): ${result.stderr}`);
  return { databaseUrl: exported.DATABASE_URL, redisUrl: redisUrl ?? exported.REDIS_URL, description: `throwaway PostgreSQL cluster on 127.0.0.1:${pgPort} (stopped afterwards)` };
}

async function startRedis(log: (m: string) => void): Promise<string | undefined> {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    log("REDIS_URL unset and redis-server not installed: the server uses its in-memory cache");
    return undefined;
  }
  const port = await freePort(Number(process.env.BENCH_REDIS_PORT ?? 56479));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore", detached: true });
  onCleanup("stop redis", () => stopProcessGroup(child), () => killProcessGroupSync(child));
  for (let i = 0; i < 50; i++) {
    if (spawnSync("redis-cli", ["-p", String(port), "ping"], { stdio: "ignore" }).status === 0) return `redis://127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
}
