import { z } from "zod";
import { isConnectionError } from "@/db/pg-session";
import { AppError } from "../errors/app-error";
import { summarizeIssues } from "../errors/zod-messages";

export const metaSchema = z.object({ request_id: z.string(), timestamp: z.iso.datetime(), processing_time_ms: z.number() });
export type Meta = z.infer<typeof metaSchema>;

export const errorEnvelopeSchema = z.object({
  status: z.literal("error"),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
  meta: metaSchema,
});

/** The success envelope around one endpoint's `data`. */
export const successEnvelopeSchema = <T extends z.ZodType>(data: T) => z.object({ status: z.literal("success"), data, meta: metaSchema });

export function successBody<T>(data: T, meta: Meta) {
  return { status: "success" as const, data, meta };
}

export function errorBody(error: AppError, meta: Meta) {
  return { status: "error" as const, error: { code: error.code, message: error.message, details: error.details ?? null }, meta };
}

/** zod issues as `{ field: message }`, with dotted paths, for 400 VALIDATION_ERROR details. */
export function zodDetails(error: z.ZodError): { fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    fields[key] ??= issue.message;
  }
  return { fields };
}

/** Seconds a client is asked to wait when the database is unreachable (a restart takes about this long). */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Unknown errors become a generic INTERNAL_ERROR carrying only the request id: their messages may hold
 * SQL, parameters or secrets. The caller logs the original with the same id. Bad input is answered with
 * its first problem in words, and every problem by field in `details`.
 */
export function toAppError(error: unknown, requestId?: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return new AppError("VALIDATION_ERROR", summarizeIssues(error), zodDetails(error));
  if (isConnectionError(error)) {
    return new AppError("SERVICE_UNAVAILABLE", "We cannot reach our database right now. Please retry in a few seconds.", { retry_after_seconds: OUTAGE_RETRY_AFTER_SECONDS, ...(requestId && { request_id: requestId }) });
  }
  const reference = requestId ? ` If it keeps happening, quote request ${requestId}.` : "";
  return new AppError("INTERNAL_ERROR", `Something went wrong on our side. Please retry.${reference}`, requestId ? { request_id: requestId } : undefined);
}
