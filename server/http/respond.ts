import { randomUUID } from "node:crypto";
import { errorBody, OUTAGE_RETRY_AFTER_SECONDS, successBody, toAppError, type Meta } from "./envelope";

export type ApiResult = { data: unknown; status?: number; headers?: Record<string, string> };

export type Answering = {
  requestId: string;
  /** Sent with the answer whatever it turns out to be (CORS once the caller is allowed, rate-limit counters). */
  headers: Record<string, string>;
};

/** Headers an error carries for its own answer, e.g. Retry-After on a refusal. */
export const withHeaders = <E extends Error>(error: E, headers: Record<string, string>): E => Object.assign(error, { headers });

/** The envelope's meta for a request that began at `started` (a performance.now() reading). */
export const metaOf = (requestId: string, started: number): Meta => ({ request_id: requestId, timestamp: new Date().toISOString(), processing_time_ms: Math.round(performance.now() - started) });

/**
 * The one way a public HTTP route answers: request id, timing, the success or error envelope, and
 * unexpected errors logged with the request id they are reported under.
 */
export async function enveloped(req: Request, label: string, run: (answering: Answering) => Promise<ApiResult>): Promise<Response> {
  const started = performance.now();
  const answering: Answering = { requestId: req.headers.get("x-request-id") ?? randomUUID(), headers: {} };
  const meta = () => metaOf(answering.requestId, started);
  try {
    const result = await run(answering);
    return Response.json(successBody(result.data, meta()), { status: result.status ?? 200, headers: { ...answering.headers, ...result.headers, "X-Request-ID": answering.requestId } });
  } catch (error) {
    const appError = toAppError(error, answering.requestId);
    const where = `[${label}] ${req.method} ${new URL(req.url).pathname} ${answering.requestId}`;
    if (appError.code === "INTERNAL_ERROR") console.error(where, error);
    // An outage fails many requests alike: one line each, not a stack each.
    if (appError.code === "SERVICE_UNAVAILABLE") console.warn(`${where} database unreachable: ${(error as Error).message}`);
    const retry: Record<string, string> = appError.code === "SERVICE_UNAVAILABLE" ? { "Retry-After": String(OUTAGE_RETRY_AFTER_SECONDS) } : {};
    const headers = { ...answering.headers, ...retry, ...((error as { headers?: Record<string, string> } | null)?.headers ?? {}), "X-Request-ID": answering.requestId };
    return Response.json(errorBody(appError, meta()), { status: appError.httpStatus, headers });
  }
}
