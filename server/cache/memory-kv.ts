import type { Kv, WindowResult } from "./kv";

export function createMemoryKv(): Kv {
  const hits = new Map<string, number[]>();
  const values = new Map<string, { value: string; expiresAt: number }>();
  const read = (key: string) => {
    const hit = values.get(key);
    if (hit && hit.expiresAt <= Date.now()) values.delete(key);
    return hit && hit.expiresAt > Date.now() ? hit.value : null;
  };
  const write = (key: string, value: string, ttlMs: number) => values.set(key, { value, expiresAt: Date.now() + ttlMs });
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
    async recordHits(batch) {
      for (const hit of batch) hits.set(hit.key, [...(hits.get(hit.key) ?? []).filter((t) => t > hit.at - hit.windowMs), hit.at].sort((a, b) => a - b));
    },
    async reset(key) {
      hits.delete(key);
      values.delete(key);
    },
    async get(key) {
      return read(key);
    },
    async set(key, value, ttlMs, opts) {
      if (opts?.onlyIfAbsent && read(key) !== null) return false;
      write(key, value, ttlMs);
      return true;
    },
    async increment(key, by, ttlMs) {
      const total = Number(read(key) ?? 0) + by;
      write(key, String(total), ttlMs);
      return total;
    },
    // Atomic because nothing awaits between the read and the write: one process, one event loop.
    async reserve(key, amount, limit, initial, ttlMs) {
      const total = Number(read(key) ?? initial);
      if (total + amount > limit) {
        write(key, String(total), ttlMs);
        return { reserved: false, total };
      }
      write(key, String(total + amount), ttlMs);
      return { reserved: true, total: total + amount };
    },
    async ping() {},
    async close() {
      hits.clear();
      values.clear();
    },
  };
}
