import { getKv } from "@/server/cache";
import { dbHandle } from "@/server/db";
import type { Health, Probe } from "@/server/http/health-schema";

export const dynamic = "force-dynamic";

const PROBE_TIMEOUT_MS = 2000;

/**
 * Each dependency is probed on its own. The database probe goes through the pool the requests use,
 * so "down" also means the app cannot get a connection; nothing waits on the cache while holding one.
 */
async function probe(check: () => Promise<void>): Promise<Probe> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)))]);
    return { status: "up", latency_ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { status: "down", latency_ms: Math.round(performance.now() - started), error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export async function GET() {
  const db = dbHandle();
  const kv = getKv();
  const [postgres, redis] = await Promise.all([probe(() => db.ping()), probe(() => kv.ping())]);
  const healthy = postgres.status === "up" && redis.status === "up";
  const body: Health = {
    status: healthy ? "healthy" : "degraded",
    databases: { postgres: { ...postgres, driver: db.kind }, redis: { ...redis, backend: kv.kind } },
    timestamp: new Date().toISOString(),
  };
  return Response.json(body, { status: healthy ? 200 : 503 });
}
