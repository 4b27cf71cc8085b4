import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { PROVIDER_KINDS, providerConfigs } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { decryptSecret, encryptSecret, secretHint } from "../security/crypto";
import { recordAudit } from "../tenants/audit";
import { reachableUrl } from "../security/outbound-url";
import { forgetTenantLlm } from "./tenant-llm-cache";

export const providerConfigInputSchema = z
  .object({
    provider: z.enum(PROVIDER_KINDS),
    name: z.string().trim().min(1, "Name is required").max(60),
    model: z.string().trim().min(1, "Model is required").max(100),
    baseUrl: z.string().trim().url("Use a full URL like https://llm.example.com/v1").superRefine(reachableUrl).optional().or(z.literal("").transform(() => undefined)),
    apiKey: z.string().trim().min(1, "API key is required"),
    isDefault: z.boolean().default(false),
  })
  .refine((v) => v.provider !== "openai_compatible" || v.baseUrl, { path: ["baseUrl"], message: "An OpenAI-compatible server needs its base URL" });
export type ProviderConfigInput = z.infer<typeof providerConfigInputSchema>;

export async function listProviderConfigs(db: Db, tenantId: string) {
  return db
    .select({ id: providerConfigs.id, provider: providerConfigs.provider, name: providerConfigs.name, model: providerConfigs.model, baseUrl: providerConfigs.baseUrl, apiKeyHint: providerConfigs.apiKeyHint, isDefault: providerConfigs.isDefault, createdAt: providerConfigs.createdAt })
    .from(providerConfigs)
    .where(eq(providerConfigs.tenantId, tenantId))
    .orderBy(desc(providerConfigs.isDefault), providerConfigs.createdAt);
}

export async function createProviderConfig(db: Db, tenantId: string, actorUserId: string | null, input: ProviderConfigInput) {
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: providerConfigs.id }).from(providerConfigs).where(eq(providerConfigs.tenantId, tenantId)).limit(1);
    const isDefault = input.isDefault || existing.length === 0;
    if (isDefault) await tx.update(providerConfigs).set({ isDefault: false }).where(eq(providerConfigs.tenantId, tenantId));
    const [row] = await tx
      .insert(providerConfigs)
      .values({ tenantId, provider: input.provider, name: input.name, model: input.model, baseUrl: input.baseUrl ?? null, apiKeyEnc: encryptSecret(input.apiKey), apiKeyHint: secretHint(input.apiKey), isDefault })
      .returning({ id: providerConfigs.id });
    await recordAudit(tx, { tenantId, actorUserId, action: "provider.created", targetType: "provider_config", targetId: row!.id, details: { provider: input.provider, model: input.model } });
    forgetTenantLlm(tenantId);
    return row!;
  });
}

export async function deleteProviderConfig(db: Db, tenantId: string, actorUserId: string | null, id: string) {
  const [row] = await db.delete(providerConfigs).where(and(eq(providerConfigs.id, id), eq(providerConfigs.tenantId, tenantId))).returning({ id: providerConfigs.id });
  if (!row) throw new AppError("NOT_FOUND", "Model connection not found.");
  await recordAudit(db, { tenantId, actorUserId, action: "provider.deleted", targetType: "provider_config", targetId: id });
  forgetTenantLlm(tenantId);
}

/** Decrypted configs for the model router; never sent to a browser. */
export async function loadProviderSecrets(db: Db, tenantId: string) {
  const rows = await db.select().from(providerConfigs).where(eq(providerConfigs.tenantId, tenantId)).orderBy(desc(providerConfigs.isDefault), providerConfigs.createdAt);
  return rows.map((r) => ({ id: r.id, provider: r.provider, model: r.model, baseUrl: r.baseUrl, apiKey: decryptSecret(r.apiKeyEnc), isDefault: r.isDefault }));
}
