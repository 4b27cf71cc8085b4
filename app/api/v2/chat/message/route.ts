import { receiveInbound } from "@/server/channels/inbound";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors/app-error";
import { apiRoute, preflight, readJson } from "@/server/http/api-handler";
import { inboundMessageSchema } from "@/server/pipeline/message-schema";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";

export const dynamic = "force-dynamic";

/** `Idempotency-Key` is accepted as the message_id; sending both with different values is an error. */
function withIdempotencyKey(body: unknown, key: string | null): unknown {
  if (key === null || !body || typeof body !== "object" || Array.isArray(body)) return body;
  const given = (body as { message_id?: unknown }).message_id;
  if (given !== undefined && given !== key) {
    throw new AppError("VALIDATION_ERROR", "message_id and the Idempotency-Key header differ; send one of them.", { fields: { message_id: "Differs from the Idempotency-Key header" } });
  }
  return { ...body, message_id: key };
}

export const POST = apiRoute(async ({ req, tenantId }) => {
  const input = inboundMessageSchema.parse(withIdempotencyKey(await readJson(req), req.headers.get("idempotency-key")));
  const { duplicate, ...result } = await receiveInbound(pipelineDepsFor(getDb()), tenantId, input, { tooFast: "This end user is sending messages too fast." });
  return { data: result, headers: { "X-Idempotent-Replay": String(duplicate) } };
});

export const OPTIONS = preflight;
