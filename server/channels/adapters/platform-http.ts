import type { IncomingHttpHeaders } from "node:http";
import { env } from "../../env";
import { BlockedDestinationError, safeHttpRequest, type SafeResponse } from "../../security/safe-http";
import { DeliveryError } from "./types";

/** A platform that has not answered in this long is treated as down for this attempt (retried later). */
export const SEND_TIMEOUT_MS = 10_000;
/** Platforms answer sends with a few hundred bytes; anything far larger is not an answer we read. */
const MAX_RESPONSE_BYTES = 256 * 1024;
/** Longest reason kept from a platform's error message (shown to the tenant). */
const MAX_REASON_LENGTH = 300;

/** Retry-After in milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const raw = headers["retry-after"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A platform's own words, bounded, for the reason shown to the tenant. */
export const boundedReason = (text: string): string => (text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text);

/** The response body as JSON, or null when it is not JSON. */
export function jsonBody(res: SafeResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return null;
  }
}

/**
 * POSTs JSON to a tenant-supplied platform URL through the SSRF-guarded client (OUTBOUND_ALLOWED_HOSTS
 * admits self-hosted bridges and test servers). Resolves with any HTTP answer, for the adapter to map;
 * a refused destination is permanent, timeouts and connection failures are retryable.
 */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, signal?: AbortSignal): Promise<SafeResponse> {
  try {
    return await safeHttpRequest({
      url,
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      timeoutMs: SEND_TIMEOUT_MS,
      maxBytes: MAX_RESPONSE_BYTES,
      allowedHosts: env().OUTBOUND_ALLOWED_HOSTS,
      signal,
    });
  } catch (error) {
    if (error instanceof BlockedDestinationError) throw new DeliveryError("permanent", "blocked_destination", `The channel's API base URL is not allowed (${error.reason}).`);
    const message = (error as Error).message ?? "";
    if (/timed out/i.test(message)) throw new DeliveryError("retryable", "timeout", `The platform did not answer within ${SEND_TIMEOUT_MS / 1000} s.`);
    throw new DeliveryError("retryable", "connection", boundedReason(`The platform could not be reached: ${message || "connection failed"}`));
  }
}
