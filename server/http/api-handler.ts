import type { Plan } from "@/db/schema";
import { getKv } from "../cache";
import { getDb } from "../db";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { resolveApiKey, touchApiKey } from "../tenants/api-keys";
import { corsHeaders } from "./cors";
import { checkJsonShape, MAX_BODY_BYTES, readCappedText } from "./json-body";
import { checkKeyLimit, enforce, rateLimitHeaders } from "./rate-limits";
import { enveloped, type ApiResult } from "./respond";

export type ApiContext = { req: Request; tenantId: string; keyId: string; plan: Plan; requestId: string };

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
  return (req: Request): Promise<Response> =>
    enveloped(req, "api", async (answering) => {
      answering.headers = corsHeaders(req.headers.get("origin"), env().CORS_ALLOWED_ORIGINS);
      const key = bearer(req);
      if (!key) throw new AppError("UNAUTHORIZED", "Send your API key as `Authorization: Bearer <key>`.");
      const resolved = await resolveApiKey(getDb(), key);
      if (!resolved) throw new AppError("UNAUTHORIZED", "The API key is invalid or revoked.");
      const claimed = req.headers.get("x-tenant-id");
      if (claimed && claimed.trim().toLowerCase() !== resolved.tenantId.toLowerCase()) throw new AppError("FORBIDDEN", "X-Tenant-ID does not match the API key's tenant.");
      const limit = await checkKeyLimit(getKv(), resolved.keyId, resolved.plan);
      if (limit) Object.assign(answering.headers, rateLimitHeaders(limit));
      enforce(limit, "Too many requests for this API key. Retry after the time in Retry-After.");
      touchApiKey(getDb(), resolved.keyId);
      return handler({ req, tenantId: resolved.tenantId, keyId: resolved.keyId, plan: resolved.plan, requestId: answering.requestId });
    });
}

export function preflight(req: Request): Response {
  return new Response(null, { status: 204, headers: corsHeaders(req.headers.get("origin"), env().CORS_ALLOWED_ORIGINS) });
}

/**
 * The one reader of JSON request bodies: at most `maxBytes` (413 PAYLOAD_TOO_LARGE before buffering
 * more), malformed or overly nested JSON a 400 VALIDATION_ERROR, never a 500.
 */
export async function readJson(req: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readCappedText(req, maxBytes);
  if (!text.trim()) throw new AppError("VALIDATION_ERROR", "The request body is empty; send a JSON object.", { fields: { body: "Body is required" } });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AppError("VALIDATION_ERROR", "The request body is not valid JSON.", { fields: { body: (e as Error).message } });
  }
  checkJsonShape(value);
  return value;
}
