import type { ModelAttempt, ModelCallRecord, ModelCallStatus, TokenUsage } from "../../flows/ports";
import { PRICE_TABLE_VERSION, toCents } from "../model-cost";
import type { Candidate } from "./candidates";

/** Attempts that never reached a provider: the router decided against them. */
const DECIDED: ReadonlySet<ModelAttempt["error_class"]> = new Set(["skipped_cost", "skipped_budget", "unpriced", "circuit_open"]);

export type CallOutcome = {
  status: ModelCallStatus;
  answered: Candidate | null;
  attempts: ModelAttempt[];
  usage: TokenUsage | null;
  costMicroCents: number;
  /** performance.now() values. */
  startedAt: number;
  ttftAt: number | null;
  reason?: string;
  invalidKeys: { connection_id: string; reason: string }[];
};

export function callRecord(o: CallOutcome): ModelCallRecord {
  return {
    status: o.status,
    provider: o.answered?.connection.provider ?? null,
    model: o.answered?.model ?? null,
    fallback_applied: o.attempts.length > 1,
    attempts: o.attempts,
    input_tokens: o.usage?.input_tokens ?? 0,
    output_tokens: o.usage?.output_tokens ?? 0,
    cost_cents: toCents(o.costMicroCents),
    latency_ms: Math.round(performance.now() - o.startedAt),
    ttft_ms: o.ttftAt === null ? null : Math.round(o.ttftAt - o.startedAt),
    price_table_version: PRICE_TABLE_VERSION,
    ...(o.reason && { reason: o.reason }),
    ...(o.invalidKeys.length && { invalid_keys: o.invalidKeys }),
  };
}

const describeAttempt = (a: ModelAttempt) => `${a.provider}:${a.model} ${a.error_class}${a.http_status ? ` (${a.http_status})` : ""}`;

/**
 * Why no model answered, in the status the dashboard groups by: when the router itself turned every
 * candidate down, the budget explains it first, then the cap per request, then a missing price.
 */
export function failureOf(attempts: ModelAttempt[], words: { budget: string; maxCostCents: number | null }): { status: ModelCallStatus; reason: string } {
  const decided = attempts.length > 0 && attempts.every((a) => DECIDED.has(a.error_class));
  const has = (cls: ModelAttempt["error_class"]) => attempts.find((a) => a.error_class === cls);
  if (decided && has("skipped_budget")) return { status: "budget_exhausted", reason: has("skipped_budget")!.message ?? words.budget };
  if (decided && has("skipped_cost")) return { status: "over_request_cap", reason: `Every model in the chain could cost more than the ${words.maxCostCents}¢ cap per request.` };
  if (decided && has("unpriced")) return { status: "unpriced", reason: attempts.filter((a) => a.error_class === "unpriced").map((a) => a.message).join(" ") };
  return { status: "failed", reason: `No model answered: ${attempts.map(describeAttempt).join("; ")}` };
}
