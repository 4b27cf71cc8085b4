import { MissingCassetteError } from "../transport";
import type { ModelAttempt } from "../../flows/ports";
import { BlockedDestinationError } from "../../security/safe-http";
import { StreamCutError } from "./provider-call";

export type ErrorClass = NonNullable<ModelAttempt["error_class"]>;
export type Classified = { error_class: ErrorClass; http_status: number | null; message: string };

/** The classes another model (or a later try of this one) may answer: fallback goes on, the breaker counts them. */
export const RETRYABLE: ReadonlySet<ErrorClass> = new Set(["rate_limited", "server_error", "timeout", "connection", "stream_cut"]);

const statusOf = (e: unknown): number | null => {
  const status = (e as { status?: unknown })?.status;
  return typeof status === "number" ? status : null;
};

const isTimeout = (e: unknown) => {
  const name = (e as Error)?.name ?? "";
  return name === "APIConnectionTimeoutError" || name === "TimeoutError" || /timed? ?out/i.test(String((e as Error)?.message ?? ""));
};

function classOfStatus(status: number): ErrorClass {
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status === 401 || status === 403) return "unauthorized";
  return "bad_request";
}

/**
 * What a failed try was, in the router's classes. Messages are built from statuses and error names,
 * never the provider's text, which can quote the key it refused.
 */
export function classify(error: unknown): Classified {
  if (error instanceof StreamCutError) {
    if (error.cause && isTimeout(error.cause)) return { error_class: "timeout", http_status: null, message: "The stream stopped and timed out" };
    return { error_class: "stream_cut", http_status: null, message: error.message };
  }
  if (error instanceof BlockedDestinationError) return { error_class: "connection", http_status: null, message: error.message };
  const status = statusOf(error);
  if (status !== null) return { error_class: classOfStatus(status), http_status: status, message: `The provider answered ${status}` };
  if (isTimeout(error)) return { error_class: "timeout", http_status: null, message: "No answer in time" };
  // A request that could not be sent as asked (e.g. a GOLDEN run without its cassette) is not the provider's fault: no fallback.
  // The SDKs wrap what their fetch throws in a connection error, with the original as its cause.
  const missing = [error, (error as { cause?: unknown })?.cause].find((e) => e instanceof MissingCassetteError);
  if (missing) return { error_class: "bad_request", http_status: null, message: (missing as Error).message };
  return { error_class: "connection", http_status: null, message: "Could not reach the provider" };
}
