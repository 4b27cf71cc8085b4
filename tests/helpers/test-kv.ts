import type { Kv } from "@/server/cache/kv";
import { createMemoryKv } from "@/server/cache/memory-kv";
import { createRedisKv } from "@/server/cache/redis-kv";

/** Real Redis when REDIS_URL is set (as in CI), the in-memory store otherwise. */
export function createTestKv(): Kv {
  return process.env.REDIS_URL ? createRedisKv(process.env.REDIS_URL) : createMemoryKv();
}
