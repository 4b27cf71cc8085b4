import type { SafeResponse } from "../../security/safe-http";
import { boundedReason, jsonBody, retryAfterMs } from "./platform-http";
import { DeliveryError } from "./types";

export const WINDOW_CLOSED_REASON = "Outside WhatsApp's 24-hour customer service window; the customer must write first (or use an approved template).";

/** Throttling: Cloud API (130429 throughput, 131056 pair rate) and Graph (80007 WABA, 4 app, 613 calls). */
const THROTTLED = new Set([130429, 131056, 80007, 4, 613]);
/** The recipient cannot get this message (131026 undeliverable, 131051 unsupported type) or a parameter is wrong (100). */
const BAD_RECIPIENT_OR_PARAMETER = new Set([131026, 131051, 100]);

type GraphErrorBody = { error?: { message?: unknown; code?: unknown; error_data?: { details?: unknown } } };

/** The `error` object of a Graph API answer: `{ error: { message, type, code, error_subcode, error_data, fbtrace_id } }`. */
function graphError(res: SafeResponse): { code: number | undefined; message: string | undefined } {
  const error = (jsonBody(res) as GraphErrorBody | null)?.error;
  const code = typeof error?.code === "number" ? error.code : undefined;
  const details = typeof error?.error_data?.details === "string" ? error.error_data.details : undefined;
  const message = typeof error?.message === "string" ? error.message : undefined;
  return { code, message: details && message ? `${message}: ${details}` : (message ?? details) };
}

/**
 * A non-2xx Graph API answer (WhatsApp Cloud API, Messenger Send API) as a DeliveryError: throttling and
 * 5xx are retried (after Retry-After when given), everything else is permanent with the Graph's own words.
 */
export function graphDeliveryError(res: SafeResponse, now = Date.now()): DeliveryError {
  const { code, message } = graphError(res);
  const stable = code !== undefined ? `meta_${code}` : `http_${res.status}`;
  const said = message ? `: ${message}` : "";
  if (res.status === 429 || (code !== undefined && THROTTLED.has(code))) {
    return new DeliveryError("retryable", stable, boundedReason(`The platform is throttling sends${said}`), retryAfterMs(res.headers, now));
  }
  if (res.status >= 500) return new DeliveryError("retryable", stable, boundedReason(`The platform answered ${res.status}${said}`), retryAfterMs(res.headers, now));
  if (res.status === 401 || code === 190) return new DeliveryError("permanent", stable, "The access token was refused");
  if (code === 131047) return new DeliveryError("permanent", "window_closed", WINDOW_CLOSED_REASON);
  if (code !== undefined && BAD_RECIPIENT_OR_PARAMETER.has(code)) {
    return new DeliveryError("permanent", stable, boundedReason(code === 100 ? `The platform refused a parameter${said}` : `The recipient cannot receive this message${said}`));
  }
  return new DeliveryError("permanent", stable, boundedReason(`The platform refused the message (${res.status})${said}`));
}
