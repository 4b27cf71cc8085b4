import type { Plan } from "@/db/schema";
import type { Kv, WindowResult } from "../cache/kv";

const MINUTE = 60_000;
const OUTAGE_LOG_EVERY_MS = 60_000;

/** Requests per minute per API key; enterprise has no per-key cap, only per-end-user abuse limits. */
export const KEY_LIMITS: Record<Plan, number | null> = { starter: 120, professional: 1200, enterprise: null };
export const END_USER_LIMIT = 30;

let lastOutageLog = 0;

/**
 * Limits protect the service; they are not the service. When the limiter's store is unreachable the
 * request goes through unlimited (null), so an end user gets an answer instead of a 500. The outage is
 * logged at most once a minute and shows on the health endpoint.
 */
async function failOpen(check: Promise<WindowResult>): Promise<WindowResult | null> {
  try {
    return await check;
  } catch (error) {
    if (Date.now() - lastOutageLog > OUTAGE_LOG_EVERY_MS) {
      lastOutageLog = Date.now();
      console.warn(`[rate-limit] store unreachable, letting requests through: ${error instanceof Error ? error.message : String(error)}`);
    }
    return null;
  }
}

/** Null when the key's plan has no per-key cap or the limiter is unreachable. */
export function checkKeyLimit(kv: Kv, keyId: string, plan: Plan): Promise<WindowResult | null> {
  const limit = KEY_LIMITS[plan];
  return limit === null ? Promise.resolve(null) : failOpen(kv.slidingWindow(`rl:key:${keyId}`, limit, MINUTE));
}

/** Null when the limiter is unreachable. */
export function checkEndUserLimit(kv: Kv, tenantId: string, userId: string): Promise<WindowResult | null> {
  return failOpen(kv.slidingWindow(`rl:user:${tenantId}:${userId}`, END_USER_LIMIT, MINUTE));
}

export function rateLimitHeaders(r: WindowResult): Record<string, string> {
  const headers: Record<string, string> = { "X-RateLimit-Limit": String(r.limit), "X-RateLimit-Remaining": String(r.remaining) };
  if (!r.allowed) headers["Retry-After"] = String(Math.max(1, Math.ceil(r.retryAfterMs / 1000)));
  return headers;
}
