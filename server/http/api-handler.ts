import { randomUUID } from "node:crypto";
import type { Plan } from "@/db/schema";
import { getKv } from "../cache";
import { getDb } from "../db";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { resolveApiKey, touchApiKey } from "../tenants/api-keys";
import { corsHeaders } from "./cors";
import { errorBody, successBody, toAppError, type Meta } from "./envelope";
import { checkKeyLimit, rateLimitHeaders } from "./rate-limits";

export type ApiContext = { req: Request; tenantId: string; keyId: string; plan: Plan; requestId: string };
export type ApiResult = { data: unknown; status?: number; headers?: Record<string, string> };

function bearer(req: Request): string | null {
  const header = req.headers.get("authorization") ?? "";
  const match = header.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/**
 * Every public REST route goes through here: request id, API-key auth, X-Tenant-ID check,
 * per-key rate limit, CORS, and the one success/error envelope.
 */
export function apiRoute(handler: (ctx: ApiContext) => Promise<ApiResult>) {
  return async (req: Request): Promise<Response> => {
    const started = performance.now();
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    const cors = corsHeaders(req.headers.get("origin"), env().CORS_ALLOWED_ORIGINS);
    const meta = (): Meta => ({ request_id: requestId, timestamp: new Date().toISOString(), processing_time_ms: Math.round(performance.now() - started) });
    let extra: Record<string, string> = {};
    try {
      const key = bearer(req);
      if (!key) throw new AppError("UNAUTHORIZED", "Send your API key as `Authorization: Bearer <key>`.");
      const resolved = await resolveApiKey(getDb(), key);
      if (!resolved) throw new AppError("UNAUTHORIZED", "The API key is invalid or revoked.");
      const claimed = req.headers.get("x-tenant-id");
      if (claimed && claimed.trim().toLowerCase() !== resolved.tenantId.toLowerCase()) throw new AppError("FORBIDDEN", "X-Tenant-ID does not match the API key's tenant.");
      const limit = await checkKeyLimit(getKv(), resolved.keyId, resolved.plan);
      if (limit) extra = rateLimitHeaders(limit);
      if (limit && !limit.allowed) throw new AppError("RATE_LIMITED", "Too many requests for this API key. Retry after the time in Retry-After.", { retry_after_seconds: Number(extra["Retry-After"]) });
      touchApiKey(getDb(), resolved.keyId);
      const result = await handler({ req, tenantId: resolved.tenantId, keyId: resolved.keyId, plan: resolved.plan, requestId });
      return Response.json(successBody(result.data, meta()), { status: result.status ?? 200, headers: { ...cors, ...extra, ...result.headers, "X-Request-ID": requestId } });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "INTERNAL_ERROR") console.error(`[api] ${req.method} ${new URL(req.url).pathname} ${requestId}`, error);
      const headers = { ...cors, ...extra, ...((error as { headers?: Record<string, string> }).headers ?? {}), "X-Request-ID": requestId };
      return Response.json(errorBody(appError, meta()), { status: appError.httpStatus, headers });
    }
  };
}

export function preflight(req: Request): Response {
  return new Response(null, { status: 204, headers: corsHeaders(req.headers.get("origin"), env().CORS_ALLOWED_ORIGINS) });
}

/** Reads a JSON body; malformed JSON is a 400 VALIDATION_ERROR, never a 500. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) throw new AppError("VALIDATION_ERROR", "The request body is empty; send a JSON object.", { fields: { body: "Required" } });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("VALIDATION_ERROR", "The request body is not valid JSON.", { fields: { body: (e as Error).message } });
  }
}
