import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { modelPrices } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { modelRefSchema } from "../flows/flow-schema";
import { recordAudit } from "../tenants/audit";
import { listPrice, PRICE_TABLE_TAKEN_ON, PRICE_TABLE_VERSION } from "./model-cost";
import { connectedModels } from "./routing-policy";
import { forgetTenantLlm } from "./tenant-llm-cache";

// Zero is a real price (a self-hosted model costs nothing per token); the cap is ten times the dearest list price
// of 2026, so a typo of a few extra digits is refused rather than quietly blocking every call over the budget.
const centsPerMtok = (title: string) => z.number().min(0).max(1_000_000).meta({ title });

const priceModel = modelRefSchema.max(120);

/** A tenant's price of one model, in US cents per million tokens, as the router counts it. */
export const modelPriceInputSchema = z.object({
  model: priceModel,
  input_cents_per_mtok: centsPerMtok("Input (cents per million tokens)"),
  output_cents_per_mtok: centsPerMtok("Output (cents per million tokens)"),
});
export type ModelPriceInput = z.infer<typeof modelPriceInputSchema>;

export const modelPriceRefSchema = z.object({ model: priceModel });

export type TenantModelPrice = ModelPriceInput & { updated_at: Date };

/** What the AI models page shows: the repo's table, the tenant's own prices, and connected models priced nowhere. */
export type ModelPricesView = {
  table: { version: string; taken_on: string };
  prices: TenantModelPrice[];
  unpriced: string[];
};

const ofTenant = (tenantId: string, model: string) => and(eq(modelPrices.tenantId, tenantId), eq(modelPrices.model, model));

export async function listModelPrices(db: Db, tenantId: string): Promise<TenantModelPrice[]> {
  const rows = await db.select().from(modelPrices).where(eq(modelPrices.tenantId, tenantId)).orderBy(asc(modelPrices.model));
  return rows.map((r) => ({ model: r.model, input_cents_per_mtok: r.inputCentsPerMtok, output_cents_per_mtok: r.outputCentsPerMtok, updated_at: r.updatedAt }));
}

export async function modelPricesView(db: Db, tenantId: string): Promise<ModelPricesView> {
  const [prices, connected] = await Promise.all([listModelPrices(db, tenantId), connectedModels(db, tenantId)]);
  const own = new Set(prices.map((p) => p.model));
  return {
    table: { version: PRICE_TABLE_VERSION, taken_on: PRICE_TABLE_TAKEN_ON },
    prices,
    unpriced: [...connected].filter((ref) => !own.has(ref) && !listPrice(ref)),
  };
}

/** Sets (or changes) the tenant's price of a model; the router uses it from the next message on. */
export async function setModelPrice(db: Db, tenantId: string, actorUserId: string | null, input: ModelPriceInput): Promise<TenantModelPrice> {
  const price = modelPriceInputSchema.parse(input);
  const values = { inputCentsPerMtok: price.input_cents_per_mtok, outputCentsPerMtok: price.output_cents_per_mtok, updatedAt: new Date() };
  await db.transaction(async (tx) => {
    await tx.insert(modelPrices).values({ tenantId, model: price.model, ...values }).onConflictDoUpdate({ target: [modelPrices.tenantId, modelPrices.model], set: values });
    await recordAudit(tx, { tenantId, actorUserId, action: "model_price.set", targetType: "model_price", targetId: price.model, details: price });
  });
  forgetTenantLlm(tenantId);
  return { ...price, updated_at: values.updatedAt };
}

/** Removes the tenant's price of a model: the repo's table prices it again, or it is refused as unpriced. */
export async function deleteModelPrice(db: Db, tenantId: string, actorUserId: string | null, model: string): Promise<{ model: string }> {
  await db.transaction(async (tx) => {
    const deleted = await tx.delete(modelPrices).where(ofTenant(tenantId, model)).returning({ model: modelPrices.model });
    if (deleted.length === 0) throw new AppError("NOT_FOUND", `No price of yours is set for ${model}.`);
    await recordAudit(tx, { tenantId, actorUserId, action: "model_price.deleted", targetType: "model_price", targetId: model });
  });
  forgetTenantLlm(tenantId);
  return { model };
}
