import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelBudgetMonths, modelPrices } from "@/db/schema";
import { getKv } from "../cache";
import type { Kv } from "../cache/kv";
import type { LlmGenerator } from "../flows/ports";
import type { Price } from "./model-cost";
import { loadProviderSecrets } from "./provider-configs";
import { budgetKey, budgetMonth, type MonthSpend } from "./router/budget";
import { createModelRouter, type RouterSetup } from "./router/router";
import { loadRoutingPolicy } from "./routing-policy";
import { cachedTenantLlm, rememberTenantLlm } from "./tenant-llm-cache";

export type TenantLlmOptions = { now?: number; kv?: Kv } & Pick<RouterSetup, "attemptTimeoutMs" | "breaker" | "clock">;

async function loadTenantPrices(db: Db, tenantId: string): Promise<Map<string, Price>> {
  const rows = await db.select().from(modelPrices).where(eq(modelPrices.tenantId, tenantId));
  return new Map(rows.map((r) => [r.model, { input_cents_per_mtok: r.inputCentsPerMtok, output_cents_per_mtok: r.outputCentsPerMtok }]));
}

async function loadMonthSpend(db: Db, tenantId: string, at: Date): Promise<MonthSpend> {
  const month = budgetMonth(at);
  const [row] = await db.select({ spent: modelBudgetMonths.spentCents }).from(modelBudgetMonths).where(and(eq(modelBudgetMonths.tenantId, tenantId), eq(modelBudgetMonths.month, month)));
  return { month, spentCents: row?.spent ?? 0 };
}

/**
 * The tenant's model router, cached briefly so a busy bot does not decrypt keys on every message.
 * Everything it reads from Postgres is read here, before the turn's transaction (see router/budget.ts);
 * with a budget, a month's Kv counter that went missing (new month, Redis flushed) is re-read from
 * the durable spend before the turn that would start it.
 */
export async function tenantLlm(db: Db, tenantId: string, allowedHosts: string[], opts: TenantLlmOptions = {}): Promise<LlmGenerator | undefined> {
  const now = opts.now ?? Date.now();
  const hit = cachedTenantLlm(tenantId, now);
  if (hit) {
    await hit.refresh?.();
    return hit.generator;
  }
  const kv = opts.kv ?? getKv();
  const [secrets, policy, tenantPrices] = await Promise.all([loadProviderSecrets(db, tenantId), loadRoutingPolicy(db, tenantId), loadTenantPrices(db, tenantId)]);
  if (secrets.length === 0) {
    rememberTenantLlm(tenantId, { generator: undefined }, now);
    return undefined;
  }
  const at = new Date(opts.clock?.() ?? now);
  let spend = policy.monthly_budget_cents === null ? { month: budgetMonth(at), spentCents: 0 } : await loadMonthSpend(db, tenantId, at);
  const refresh =
    policy.monthly_budget_cents === null
      ? undefined
      : async () => {
          const today = new Date(opts.clock?.() ?? Date.now());
          const counted = await kv.get(budgetKey(tenantId, budgetMonth(today))).catch(() => "unknown");
          if (counted === null) spend = await loadMonthSpend(db, tenantId, today);
        };
  const generator = createModelRouter({
    tenantId,
    connections: secrets,
    policy,
    tenantPrices,
    monthSpend: () => spend,
    kv,
    allowedHosts,
    ...(opts.attemptTimeoutMs !== undefined && { attemptTimeoutMs: opts.attemptTimeoutMs }),
    ...(opts.breaker && { breaker: opts.breaker }),
    ...(opts.clock && { clock: opts.clock }),
  });
  rememberTenantLlm(tenantId, { generator, ...(refresh && { refresh }) }, now);
  return generator;
}
