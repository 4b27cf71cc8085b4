import { randomUUID } from "node:crypto";
import { Redis as IORedis } from "ioredis";
import { Redis as Upstash } from "@upstash/redis";
import type { Kv } from "./kv";
import { SLIDING_WINDOW_LUA, toWindowResult } from "./sliding-window-script";

type WithSlidingWindow = IORedis & { slidingWindow(key: string, now: number, windowMs: number, limit: number, member: string): Promise<unknown> };

export function createRedisKv(url: string): Kv {
  const client = new IORedis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false }) as WithSlidingWindow;
  client.on("error", () => {}); // surfaced through ping() and the health endpoint instead of crashing
  // Sent by SHA (EVALSHA), not as the whole script on every request; ioredis reloads it after a Redis restart.
  client.defineCommand("slidingWindow", { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  return {
    kind: "redis",
    async slidingWindow(key, limit, windowMs, now = Date.now()) {
      const raw = await client.slidingWindow(key, now, windowMs, limit, `${now}-${randomUUID()}`);
      return toWindowResult(raw, limit, windowMs, now);
    },
    async count(key, windowMs, now = Date.now()) {
      await client.zremrangebyscore(key, "-inf", now - windowMs);
      return client.zcard(key);
    },
    async record(key, windowMs, now = Date.now()) {
      await client.multi().zadd(key, now, `${now}-${randomUUID()}`).pexpire(key, windowMs).exec();
    },
    async reset(key) {
      await client.del(key);
    },
    async ping() {
      await client.ping();
    },
    async close() {
      client.disconnect();
    },
  };
}

export function createUpstashKv(url: string, token: string): Kv {
  const client = new Upstash({ url, token });
  return {
    kind: "upstash",
    async slidingWindow(key, limit, windowMs, now = Date.now()) {
      const raw = await client.eval(SLIDING_WINDOW_LUA, [key], [String(now), String(windowMs), String(limit), `${now}-${randomUUID()}`]);
      return toWindowResult(raw, limit, windowMs, now);
    },
    async count(key, windowMs, now = Date.now()) {
      await client.zremrangebyscore(key, "-inf", now - windowMs);
      return client.zcard(key);
    },
    async record(key, windowMs, now = Date.now()) {
      await client.zadd(key, { score: now, member: `${now}-${randomUUID()}` });
      await client.pexpire(key, windowMs);
    },
    async reset(key) {
      await client.del(key);
    },
    async ping() {
      await client.ping();
    },
    async close() {},
  };
}
