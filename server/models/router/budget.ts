import type { Kv } from "../../cache/kv";
import { toCents, toMicroCents } from "../model-cost";

/** The UTC calendar month a call's spend counts in, as model_budget_months.month. */
export const budgetMonth = (at: Date) => `${at.toISOString().slice(0, 7)}-01`;

/** A month's durable spend (model_budget_months.spent_cents), read before the turn's transaction. */
export type MonthSpend = { month: string; spentCents: number };

const KEY_TTL_MS = 40 * 24 * 60 * 60_000;
export const budgetKey = (tenantId: string, month: string) => `budget:${tenantId}:${month}`;

export type Reservation = { month: string; microCents: number };

/**
 * A tenant's monthly budget, held in the Kv (Redis when configured, so every process shares it) as
 * micro-cents spent plus reserved. The router never queries Postgres during a call (on PGlite the
 * turn's transaction holds the only connection), so a month's counter starts, when missing, from
 * the spend read before the turn; the turn's closing write adds the settled cost to Postgres.
 */
export function createBudget(kv: Kv, tenantId: string, limitCents: number, spend: () => MonthSpend) {
  const limit = toMicroCents(limitCents);
  return {
    limitCents,
    /** Reserves a call's worst case; false when it would take the month past the budget. Throws when the Kv fails. */
    async reserve(microCents: number, at: Date): Promise<Reservation | null> {
      const month = budgetMonth(at);
      const known = spend();
      const initial = month === known.month ? toMicroCents(known.spentCents) : 0;
      const { reserved } = await kv.reserve(budgetKey(tenantId, month), microCents, limit, initial, KEY_TTL_MS);
      return reserved ? { month, microCents } : null;
    },
    /** Replaces the reservation by what the call cost (0 when it failed). */
    async settle(reservation: Reservation, actualMicroCents: number): Promise<void> {
      const delta = actualMicroCents - reservation.microCents;
      if (delta !== 0) await kv.increment(budgetKey(tenantId, reservation.month), delta, KEY_TTL_MS).catch(() => {});
    },
    describe: () => `This month's model budget (${toCents(limit)}¢) is spent; the bot answers from its templates until next month or a higher budget.`,
  };
}
export type Budget = ReturnType<typeof createBudget>;
