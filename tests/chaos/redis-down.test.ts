import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { GET as health } from "@/app/api/v2/health/route";
import { openDb, type DbHandle } from "@/db/client";
import { installKv } from "@/server/cache";
import type { Kv } from "@/server/cache/kv";
import { COMMAND_TIMEOUT_MS, createRedisKv } from "@/server/cache/redis-kv";
import { installDbHandle } from "@/server/db";
import { healthSchema, type Health } from "@/server/http/health-schema";
import { END_USER_LIMIT } from "@/server/http/rate-limits";
import { outcomeOf, startLoad } from "./support/chat-load";
import { startPgCluster, type PgCluster } from "./support/pg-cluster";
import { startRedisServer, type RedisServer } from "./support/redis-server";
import { chatRequest, seedTenant } from "./support/seed-tenant";

const ANSWER_WITHIN_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: PgCluster;
let redis: RedisServer;
let handle: DbHandle;
let kv: Kv;
let key: string;

const send = (body: unknown) => postMessage(chatRequest(key, body));
const hello = (user_id: string) => ({ user_id, channel: "web", content: { type: "text", text: "Hello" } });
const report = async (): Promise<{ status: number; body: Health }> => {
  const res = await health();
  return { status: res.status, body: healthSchema.parse(await res.json()) };
};

beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => {});
  [cluster, redis] = await Promise.all([startPgCluster(), startRedisServer()]);
  // One connection, as when the pool is exhausted: a turn holding it while it waits on the cache starves every other request.
  handle = openDb({ databaseUrl: cluster.url, poolSize: 1 });
  await handle.migrate();
  installDbHandle(handle);
  kv = createRedisKv(redis.url);
  installKv(kv);
  ({ key } = await seedTenant(handle.db, "professional"));
});
afterAll(async () => {
  await kv?.close();
  await handle?.close();
  await Promise.all([cluster?.destroy(), redis?.destroy()]);
});

async function loadFor(ms: number) {
  const load = startLoad({ send: async (body) => outcomeOf(await send(body)), virtualUsers: 8, pauseMs: 10, answerWithinMs: 5000 });
  const reports: { status: number; body: Health }[] = [];
  for (let waited = 0; waited < ms; waited += 400) {
    await sleep(400);
    reports.push(await report());
  }
  return { attempts: await load.stop(), reports };
}

function expectAnsweredUnlimitedAndReported({ attempts, reports }: Awaited<ReturnType<typeof loadFor>>) {
  expect(attempts.length).toBeGreaterThan(20);
  const slowOrFailed = attempts.filter((a) => a.outcome.status !== 200 || a.finishedAt - a.startedAt >= ANSWER_WITHIN_MS);
  expect(slowOrFailed.map((a) => ({ ...a.outcome, ms: a.finishedAt - a.startedAt }))).toEqual([]);
  // Answered without limits: the limiter really was unreachable, and let the requests through.
  expect(attempts.filter((a) => a.outcome.status === 200 && a.outcome.rateLimitHeaders)).toEqual([]);
  for (const r of reports) {
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: "degraded", databases: { postgres: { status: "up" }, redis: { status: "down", backend: "redis" } } });
  }
}

describe("Redis down under load", () => {
  it("keeps answering within a second, reports redis down and postgres up, and limits again once Redis is back", { timeout: 45_000 }, async () => {
    const before = await send(hello("before-outage"));
    expect(before.status).toBe(200);
    expect(before.headers.has("x-ratelimit-limit")).toBe(true);

    await redis.kill();
    expectAnsweredUnlimitedAndReported(await loadFor(3200));

    await redis.start();
    // The client reconnects by itself, within about a second.
    let limitedAgain = false;
    for (let i = 0; i < 30 && !limitedAgain; i++) {
      limitedAgain = (await send(hello(`probe-${i}`))).headers.has("x-ratelimit-limit");
      if (!limitedAgain) await sleep(100);
    }
    expect(limitedAgain).toBe(true);
    const statuses: number[] = [];
    for (let i = 0; i <= END_USER_LIMIT; i++) statuses.push((await send(hello("after-outage"))).status);
    expect(statuses.slice(0, END_USER_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses[END_USER_LIMIT]).toBe(429);
    expect(await report()).toMatchObject({ status: 200, body: { status: "healthy" } });
  });

  it("keeps answering within a second while Redis accepts connections but answers nothing, holding no transaction open meanwhile", { timeout: 30_000 }, async () => {
    // The longest-open transaction of the app's sessions, sampled from outside while the load runs.
    const observer = postgres(cluster.url, { max: 1, onnotice: () => {} });
    let sampling = true;
    let longestOpenMs = 0;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await observer`select coalesce(max(extract(epoch from clock_timestamp() - xact_start) * 1000), 0)::int as ms
          from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`;
        longestOpenMs = Math.max(longestOpenMs, row!.ms as number);
        await sleep(25);
      }
    })();
    redis.pause();
    try {
      expectAnsweredUnlimitedAndReported(await loadFor(2000));
    } finally {
      redis.resume();
      sampling = false;
      await sampler;
      await observer.end();
    }
    // A turn that waited on the cache inside its transaction would keep it open for the command timeout.
    expect(longestOpenMs).toBeLessThan(COMMAND_TIMEOUT_MS / 2);
    expect(await report()).toMatchObject({ status: 200, body: { status: "healthy" } });
  });
});
