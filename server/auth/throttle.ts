import type { Kv } from "../cache/kv";
import { AppError } from "../errors/app-error";
import { failOpen } from "../http/rate-limits";

export type Bucket = { key: string; limit: number; windowMs: number };

export type SlotResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one slot in each bucket, in order. Each bucket records and checks in one atomic step, so parallel
 * requests cannot all slip under a limit; the first full bucket refuses and the later ones are left alone.
 * When the store is unreachable the attempt goes through (logged): a cache outage must not lock everyone out.
 */
export async function takeSlots(kv: Kv, buckets: Bucket[], now = Date.now()): Promise<SlotResult> {
  for (const bucket of buckets) {
    const result = await failOpen(kv.slidingWindow(bucket.key, bucket.limit, bucket.windowMs, now));
    if (result && !result.allowed) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterMs / 1000)) };
  }
  return { allowed: true };
}

/** A per-client-address bucket, or none when the address is unknown: never one bucket shared by every client. */
export const addressBucket = (prefix: string, ip: string | null, limit: number, windowMs: number): Bucket[] =>
  ip ? [{ key: `${prefix}:addr:${ip}`, limit, windowMs }] : [];

/** takeSlots for requests that answer 429 when refused: RATE_LIMITED with the wait in its details. */
export async function enforceSlots(kv: Kv, buckets: Bucket[], message: string): Promise<void> {
  const slot = await takeSlots(kv, buckets);
  if (!slot.allowed) throw new AppError("RATE_LIMITED", message, { retry_after_seconds: slot.retryAfterSeconds });
}
