import type { Plan } from "@/db/schema";
import type { Hit, Kv, WindowResult } from "../cache/kv";
import { AppError } from "../errors/app-error";
import { withHeaders } from "./respond";

const MINUTE = 60_000;
const OUTAGE_LOG_EVERY_MS = 60_000;

/** Requests per minute per API key; enterprise has no per-key cap, only per-end-user abuse limits. */
export const KEY_LIMITS: Record<Plan, number | null> = { starter: 120, professional: 1200, enterprise: null };
export const END_USER_LIMIT = 30;
/**
 * Anonymous widget traffic, per minute. Visitor ids are chosen by the visitor, so a flood is also capped
 * per client address (a whole office behind one NAT still gets one message a second) and per widget
 * (what one site's visitors together may cost the tenant and the service).
 */
export const WIDGET_ADDRESS_LIMIT = 60;
export const WIDGET_LIMIT = 600;
/** Widget session calls (a new or renewed visitor token) per client address per minute: one per page view is plenty. */
export const WIDGET_SESSION_LIMIT = 60;

let lastOutageLog = 0;

/**
 * Limits protect the service; they are not the service. When the limiter's store is unreachable the
 * request goes through unlimited (null), so an end user gets an answer instead of a 500. The outage is
 * logged at most once a minute and shows on the health endpoint.
 */
export async function failOpen(check: Promise<WindowResult>): Promise<WindowResult | null> {
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

const endUserKey = (tenantId: string, userId: string) => `rl:user:${tenantId}:${userId}`;

/** Null when the limiter is unreachable. */
export function checkEndUserLimit(kv: Kv, tenantId: string, userId: string): Promise<WindowResult | null> {
  return failOpen(kv.slidingWindow(endUserKey(tenantId, userId), END_USER_LIMIT, MINUTE));
}

/** A hit of the per-end-user window to record without a check, for a message known to be within the limit. */
export const endUserHit = (tenantId: string, userId: string, at: number): Hit => ({ key: endUserKey(tenantId, userId), windowMs: MINUTE, at });

/** Per client address across all widgets; null when the address is unknown or the limiter unreachable. */
export function checkWidgetAddressLimit(kv: Kv, address: string | null): Promise<WindowResult | null> {
  return address === null ? Promise.resolve(null) : failOpen(kv.slidingWindow(`rl:widget-addr:${address}`, WIDGET_ADDRESS_LIMIT, MINUTE));
}

/** Session calls per client address across all widgets; null when the address is unknown or the limiter unreachable. */
export function checkWidgetSessionLimit(kv: Kv, address: string | null): Promise<WindowResult | null> {
  return address === null ? Promise.resolve(null) : failOpen(kv.slidingWindow(`rl:widget-session:${address}`, WIDGET_SESSION_LIMIT, MINUTE));
}

/** All visitors of one tenant's widget together; null when the limiter is unreachable. */
export function checkWidgetLimit(kv: Kv, tenantId: string): Promise<WindowResult | null> {
  return failOpen(kv.slidingWindow(`rl:widget:${tenantId}`, WIDGET_LIMIT, MINUTE));
}

export function rateLimitHeaders(r: WindowResult): Record<string, string> {
  const headers: Record<string, string> = { "X-RateLimit-Limit": String(r.limit), "X-RateLimit-Remaining": String(r.remaining) };
  if (!r.allowed) headers["Retry-After"] = String(retryAfterSeconds(r));
  return headers;
}

const retryAfterSeconds = (r: WindowResult) => Math.max(1, Math.ceil(r.retryAfterMs / 1000));

/** Throws the 429 for a refused window, with Retry-After in the headers and the envelope's details. */
export function enforce(result: WindowResult | null, message: string): void {
  if (!result || result.allowed) return;
  throw withHeaders(new AppError("RATE_LIMITED", message, { retry_after_seconds: retryAfterSeconds(result) }), rateLimitHeaders(result));
}
