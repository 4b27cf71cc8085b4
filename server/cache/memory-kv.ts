import type { Kv, WindowResult } from "./kv";

export function createMemoryKv(): Kv {
  const hits = new Map<string, number[]>();
  return {
    kind: "memory",
    async slidingWindow(key, limit, windowMs, now = Date.now()): Promise<WindowResult> {
      const recent = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      const allowed = recent.length < limit;
      if (allowed) recent.push(now);
      hits.set(key, recent);
      const oldest = recent[0] ?? now;
      return {
        allowed,
        limit,
        remaining: Math.max(0, limit - recent.length),
        retryAfterMs: allowed ? 0 : Math.max(1, oldest + windowMs - now),
      };
    },
    async count(key, windowMs, now = Date.now()) {
      return (hits.get(key) ?? []).filter((t) => t > now - windowMs).length;
    },
    async record(key, windowMs, now = Date.now()) {
      hits.set(key, [...(hits.get(key) ?? []).filter((t) => t > now - windowMs), now]);
    },
    async reset(key) {
      hits.delete(key);
    },
    async ping() {},
    async close() {
      hits.clear();
    },
  };
}
