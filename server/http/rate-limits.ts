import type { Plan } from "@/db/schema";
import type { Kv, WindowResult } from "../cache/kv";

const MINUTE = 60_000;

/** Requests per minute per API key; enterprise has no per-key cap, only per-end-user abuse limits. */
export const KEY_LIMITS: Record<Plan, number | null> = { starter: 120, professional: 1200, enterprise: null };
export const END_USER_LIMIT = 30;

export async function checkKeyLimit(kv: Kv, keyId: string, plan: Plan): Promise<WindowResult | null> {
  const limit = KEY_LIMITS[plan];
  return limit === null ? null : kv.slidingWindow(`rl:key:${keyId}`, limit, MINUTE);
}

export function checkEndUserLimit(kv: Kv, tenantId: string, userId: string): Promise<WindowResult> {
  return kv.slidingWindow(`rl:user:${tenantId}:${userId}`, END_USER_LIMIT, MINUTE);
}

export function rateLimitHeaders(r: WindowResult): Record<string, string> {
  const headers: Record<string, string> = { "X-RateLimit-Limit": String(r.limit), "X-RateLimit-Remaining": String(r.remaining) };
  if (!r.allowed) headers["Retry-After"] = String(Math.max(1, Math.ceil(r.retryAfterMs / 1000)));
  return headers;
}
