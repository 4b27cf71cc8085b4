import { randomUUID } from "node:crypto";
import { Redis as IORedis } from "ioredis";
import { Redis as Upstash } from "@upstash/redis";
import type { Kv } from "./kv";
import { RESERVE_LUA, reserveArgs, toReserveResult } from "./reserve-script";
import { RECORD_HITS_LUA, recordHitsArgs, SLIDING_WINDOW_LUA, toWindowResult } from "./sliding-window-script";

type WithScripts = IORedis & {
  slidingWindow(key: string, now: number, windowMs: number, limit: number, member: string): Promise<unknown>;
  reserve(key: string, ...args: string[]): Promise<unknown>;
  recordHits(keyCount: number, ...keysThenArgs: string[]): Promise<unknown>;
};

/*
 * The cache sits on the hot path of every message and login, so a call to it is bounded and never
 * waits out an outage: a command sent while Redis is unreachable fails at once (no offline queue
 * after the first connection, no resending), one Redis leaves unanswered fails after
 * COMMAND_TIMEOUT_MS, and the client keeps reconnecting in the background, at least once a second.
 * Callers decide what a failure means (rate limits let the request through).
 */
export const COMMAND_TIMEOUT_MS = 250;
const UPSTASH_TIMEOUT_MS = 1000;

export function createRedisKv(url: string): Kv {
  const client = new IORedis(url, {
    // Until the first connection is up, commands wait for it (within the command timeout), so a
    // process's first requests are limited too; after that the queue is switched off below.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: false,
  }) as WithScripts;
  client.once("ready", () => {
    client.options.enableOfflineQueue = false;
  });
  client.on("error", () => {}); // surfaced through ping() and the health endpoint instead of crashing
  // Sent by SHA (EVALSHA), not as the whole script on every request; ioredis reloads it after a Redis restart.
  client.defineCommand("slidingWindow", { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  client.defineCommand("reserve", { numberOfKeys: 1, lua: RESERVE_LUA });
  client.defineCommand("recordHits", { lua: RECORD_HITS_LUA });
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
    async recordHits(hits) {
      if (hits.length === 0) return;
      const { keys, args } = recordHitsArgs(hits);
      await client.recordHits(keys.length, ...keys, ...args);
    },
    async reset(key) {
      await client.del(key);
    },
    async get(key) {
      return client.get(key);
    },
    async set(key, value, ttlMs, opts) {
      const ok = opts?.onlyIfAbsent ? await client.set(key, value, "PX", ttlMs, "NX") : await client.set(key, value, "PX", ttlMs);
      return ok === "OK";
    },
    async increment(key, by, ttlMs) {
      const [[, total]] = (await client.multi().incrby(key, by).pexpire(key, ttlMs).exec()) as [[Error | null, number]];
      return Number(total);
    },
    async reserve(key, amount, limit, initial, ttlMs) {
      return toReserveResult(await client.reserve(key, ...reserveArgs(amount, limit, initial, ttlMs)));
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
  const client = new Upstash({ url, token, retry: false, signal: () => AbortSignal.timeout(UPSTASH_TIMEOUT_MS) });
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
    async recordHits(hits) {
      if (hits.length === 0) return;
      const { keys, args } = recordHitsArgs(hits);
      await client.eval(RECORD_HITS_LUA, keys, args);
    },
    async reset(key) {
      await client.del(key);
    },
    async get(key) {
      const value = await client.get<string | number>(key);
      return value === null ? null : String(value);
    },
    async set(key, value, ttlMs, opts) {
      const ok = opts?.onlyIfAbsent ? await client.set(key, value, { px: ttlMs, nx: true }) : await client.set(key, value, { px: ttlMs });
      return ok === "OK";
    },
    async increment(key, by, ttlMs) {
      const [total] = await client.multi().incrby(key, by).pexpire(key, ttlMs).exec<[number, number]>();
      return Number(total);
    },
    async reserve(key, amount, limit, initial, ttlMs) {
      return toReserveResult(await client.eval(RESERVE_LUA, [key], reserveArgs(amount, limit, initial, ttlMs)));
    },
    async ping() {
      await client.ping();
    },
    async close() {},
  };
}
