import { and, asc, count, desc, eq, gte, isNotNull, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelBudgetMonths, modelCalls, modelSpendDays, type ModelCallStatus } from "@/db/schema";
import type { ModelAttempt } from "../flows/ports";
import { loadRoutingPolicy } from "./routing-policy";

/** The page looks back this many UTC days, today included. */
export const SPEND_DAYS = 30;

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const daysBack = (now: Date, n: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - n));

/** The 30 UTC days ending today, oldest first, so a chart has a bar for every day, spent or not. */
export function spendWindow(now: Date): string[] {
  return Array.from({ length: SPEND_DAYS }, (_, i) => utcDay(daysBack(now, SPEND_DAYS - 1 - i)));
}

export type FailureReason = NonNullable<ModelAttempt["error_class"]> | Exclude<ModelCallStatus, "ok">;

export type ModelSpend = {
  days: string[];
  /** Cost per UTC day, provider and model (days without spend are absent). */
  perDay: { day: string; provider: string; model: string; cost_cents: number; calls: number }[];
  perModel: { provider: string; model: string; calls: number; fallbacks: number; failures: number; input_tokens: number; output_tokens: number; cost_cents: number }[];
  /** This UTC month: settled spend, what calls in flight hold, and the budget (null: none set). */
  month: { month: string; spent_cents: number; reserved_cents: number; budget_cents: number | null };
  fallback: { calls: number; fallbacks: number };
  latency: { p50_ms: number | null; p95_ms: number | null; ttft_p50_ms: number | null };
  latencyPerModel: { provider: string; model: string; calls: number; p50_ms: number; p95_ms: number; ttft_p50_ms: number | null }[];
  /** Failed attempts by error class, and calls refused before any attempt (budget, cap, price) by status. */
  failures: { reason: FailureReason; count: number }[];
};

const num = (v: unknown) => Number(v ?? 0);
const p = (fraction: number, column: typeof modelCalls.latencyMs | typeof modelCalls.ttftMs) => sql<number | null>`percentile_cont(${sql.raw(String(fraction))}) within group (order by ${column})`;
const rounded = (v: number | null) => (v === null ? null : Math.round(Number(v)));

/** Spend, budget use, fallbacks, latency and failures of one tenant's model calls over the last 30 UTC days. */
export async function modelSpend(db: Db, tenantId: string, now: Date): Promise<ModelSpend> {
  const days = spendWindow(now);
  const since = new Date(`${days[0]}T00:00:00Z`);
  const month = `${utcDay(now).slice(0, 7)}-01`;
  const inWindow = and(eq(modelCalls.tenantId, tenantId), gte(modelCalls.createdAt, since));
  const answered = and(inWindow, eq(modelCalls.status, "ok"), isNotNull(modelCalls.provider), isNotNull(modelCalls.model));
  const errorClass = sql<string>`attempt ->> 'error_class'`;

  const [perDay, perModel, [budgetMonth], policy, [fallback], [latency], latencyPerModel, failedAttempts, refusedCalls] = await Promise.all([
    db
      .select({ day: modelSpendDays.day, provider: modelSpendDays.provider, model: modelSpendDays.model, cost_cents: modelSpendDays.costCents, calls: modelSpendDays.calls })
      .from(modelSpendDays)
      .where(and(eq(modelSpendDays.tenantId, tenantId), gte(modelSpendDays.day, days[0]!)))
      .orderBy(asc(modelSpendDays.day), asc(modelSpendDays.provider), asc(modelSpendDays.model)),
    db
      .select({
        provider: modelSpendDays.provider,
        model: modelSpendDays.model,
        calls: sql`sum(${modelSpendDays.calls})`.mapWith(num),
        fallbacks: sql`sum(${modelSpendDays.fallbacks})`.mapWith(num),
        failures: sql`sum(${modelSpendDays.failures})`.mapWith(num),
        input_tokens: sql`sum(${modelSpendDays.inputTokens})`.mapWith(num),
        output_tokens: sql`sum(${modelSpendDays.outputTokens})`.mapWith(num),
        cost_cents: sql`sum(${modelSpendDays.costCents})`.mapWith(num),
      })
      .from(modelSpendDays)
      .where(and(eq(modelSpendDays.tenantId, tenantId), gte(modelSpendDays.day, days[0]!)))
      .groupBy(modelSpendDays.provider, modelSpendDays.model)
      .orderBy(desc(sql`sum(${modelSpendDays.costCents})`), asc(modelSpendDays.provider), asc(modelSpendDays.model)),
    db.select({ spent: modelBudgetMonths.spentCents, reserved: modelBudgetMonths.reservedCents }).from(modelBudgetMonths).where(and(eq(modelBudgetMonths.tenantId, tenantId), eq(modelBudgetMonths.month, month))),
    loadRoutingPolicy(db, tenantId),
    db.select({ calls: count(), fallbacks: sql`count(*) filter (where ${modelCalls.fallbackApplied})`.mapWith(num) }).from(modelCalls).where(inWindow),
    db.select({ p50: p(0.5, modelCalls.latencyMs), p95: p(0.95, modelCalls.latencyMs), ttft: p(0.5, modelCalls.ttftMs) }).from(modelCalls).where(answered),
    db
      .select({ provider: sql<string>`${modelCalls.provider}`, model: sql<string>`${modelCalls.model}`, calls: count(), p50: p(0.5, modelCalls.latencyMs), p95: p(0.95, modelCalls.latencyMs), ttft: p(0.5, modelCalls.ttftMs) })
      .from(modelCalls)
      .where(answered)
      .groupBy(modelCalls.provider, modelCalls.model)
      .orderBy(asc(modelCalls.provider), asc(modelCalls.model)),
    db
      .select({ reason: errorClass, count: count() })
      .from(modelCalls)
      .innerJoin(sql`jsonb_array_elements(${modelCalls.attempts}) as attempt`, sql`true`)
      .where(and(inWindow, isNotNull(errorClass)))
      .groupBy(errorClass),
    db
      .select({ reason: modelCalls.status, count: count() })
      .from(modelCalls)
      .where(and(inWindow, ne(modelCalls.status, "ok"), eq(sql`jsonb_array_length(${modelCalls.attempts})`, 0)))
      .groupBy(modelCalls.status),
  ]);

  const failures = [...failedAttempts, ...refusedCalls]
    // error_class is written by the router from ModelAttempt's union; the page words an unknown one as it is.
    .map((f) => ({ reason: f.reason as FailureReason, count: num(f.count) }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return {
    days,
    perDay: perDay.map((r) => ({ ...r, cost_cents: num(r.cost_cents) })),
    perModel,
    month: { month, spent_cents: num(budgetMonth?.spent), reserved_cents: num(budgetMonth?.reserved), budget_cents: policy.monthly_budget_cents },
    fallback: { calls: num(fallback?.calls), fallbacks: num(fallback?.fallbacks) },
    latency: { p50_ms: rounded(latency?.p50 ?? null), p95_ms: rounded(latency?.p95 ?? null), ttft_p50_ms: rounded(latency?.ttft ?? null) },
    latencyPerModel: latencyPerModel.map((r) => ({ provider: r.provider, model: r.model, calls: num(r.calls), p50_ms: rounded(r.p50)!, p95_ms: rounded(r.p95)!, ttft_p50_ms: rounded(r.ttft) })),
    failures,
  };
}
