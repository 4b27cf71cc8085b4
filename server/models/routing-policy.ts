import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { modelPolicies, providerConfigs } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { modelRefSchema } from "../flows/flow-schema";
import { recordAudit } from "../tenants/audit";
import { forgetTenantLlm } from "./tenant-llm-cache";

// Titled inside the nullable too: the number's own checks are what refuse a bad value.
const centsField = (title: string) => z.number().positive().max(100_000_000).meta({ title }).nullable().meta({ title });

/** A tenant's routing: the chain (empty: every connected model, the default first), a cap per request and a monthly budget. */
export const routingPolicySchema = z.object({
  chain: z.array(modelRefSchema).max(8).meta({ title: "Model chain" }),
  max_cost_cents: centsField("Max cost per request (cents)"),
  monthly_budget_cents: centsField("Monthly budget (cents)"),
});
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;

export const NO_POLICY: RoutingPolicy = { chain: [], max_cost_cents: null, monthly_budget_cents: null };

export async function loadRoutingPolicy(db: Db, tenantId: string): Promise<RoutingPolicy> {
  const [row] = await db.select().from(modelPolicies).where(eq(modelPolicies.tenantId, tenantId));
  return row ? { chain: row.chain, max_cost_cents: row.maxCostCents, monthly_budget_cents: row.monthlyBudgetCents } : NO_POLICY;
}

/** The "provider:model" entries these connections serve, each once, in their order. */
export function servedModels(connections: { provider: string; model: string; models: string[] }[]): string[] {
  return [...new Set(connections.flatMap((c) => [c.model, ...c.models].map((m) => `${c.provider}:${m}`)))];
}

/** "provider:model" entries a tenant's connections can serve. */
export async function connectedModels(db: Db, tenantId: string): Promise<Set<string>> {
  const rows = await db.select({ provider: providerConfigs.provider, model: providerConfigs.model, models: providerConfigs.models }).from(providerConfigs).where(eq(providerConfigs.tenantId, tenantId));
  return new Set(servedModels(rows));
}

/** Saves the policy; every chain entry must name a model one of the tenant's connections serves. */
export async function saveRoutingPolicy(db: Db, tenantId: string, actorUserId: string | null, input: RoutingPolicy): Promise<RoutingPolicy> {
  const policy = routingPolicySchema.parse(input);
  const known = await connectedModels(db, tenantId);
  const unknown = policy.chain.filter((entry) => !known.has(entry));
  if (unknown.length) {
    const message = `Connect ${unknown.join(", ")} first: no connected model serves ${unknown.length === 1 ? "it" : "them"}.`;
    throw new AppError("VALIDATION_ERROR", message, { fields: { chain: message } });
  }
  const values = { chain: policy.chain, maxCostCents: policy.max_cost_cents, monthlyBudgetCents: policy.monthly_budget_cents, updatedAt: new Date() };
  await db.transaction(async (tx) => {
    await tx.insert(modelPolicies).values({ tenantId, ...values }).onConflictDoUpdate({ target: modelPolicies.tenantId, set: values });
    await recordAudit(tx, { tenantId, actorUserId, action: "routing.updated", targetType: "model_policy", targetId: tenantId, details: policy });
  });
  forgetTenantLlm(tenantId);
  return policy;
}
