import { env } from "../env";
import type { Kv } from "./kv";
import { createMemoryKv } from "./memory-kv";
import { createRedisKv, createUpstashKv } from "./redis-kv";

const globalForKv = globalThis as unknown as { __kv?: Kv };

export function getKv(): Kv {
  if (!globalForKv.__kv) {
    const e = env();
    if (e.REDIS_URL) globalForKv.__kv = createRedisKv(e.REDIS_URL);
    else if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN)
      globalForKv.__kv = createUpstashKv(e.UPSTASH_REDIS_REST_URL, e.UPSTASH_REDIS_REST_TOKEN);
    else globalForKv.__kv = createMemoryKv();
  }
  return globalForKv.__kv;
}

export type { Hit, Kv, WindowResult } from "./kv";

export function installKv(kv: Kv): void {
  globalForKv.__kv = kv;
}
