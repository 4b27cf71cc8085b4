import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerConfigs } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { decryptSecret, encryptSecret, secretHint } from "../security/crypto";
import { recordAudit } from "../tenants/audit";
import type { ConnectionTestResult } from "./connection-test";
import type { ProviderConfigInput } from "./provider-config-schema";
import { forgetTenantLlm } from "./tenant-llm-cache";

const NOT_FOUND = () => new AppError("NOT_FOUND", "Model connection not found.");
const ofTenant = (tenantId: string, id: string) => and(eq(providerConfigs.id, id), eq(providerConfigs.tenantId, tenantId));
const defaultFirst = [desc(providerConfigs.isDefault), asc(providerConfigs.createdAt)];

/** The stored columns of a test result; `null` clears it ("Not tested"). A passing test keeps no message. */
const testColumns = (result: ConnectionTestResult | null) => ({
  lastTestedAt: result?.testedAt ?? null,
  lastTestOk: result?.ok ?? null,
  lastTestError: result && !result.ok ? result.message : null,
});

/** What the dashboard lists: the key only as its hint. */
export async function listProviderConfigs(db: Db, tenantId: string) {
  return db
    .select({
      id: providerConfigs.id,
      provider: providerConfigs.provider,
      name: providerConfigs.name,
      model: providerConfigs.model,
      models: providerConfigs.models,
      baseUrl: providerConfigs.baseUrl,
      apiKeyHint: providerConfigs.apiKeyHint,
      isDefault: providerConfigs.isDefault,
      lastTestedAt: providerConfigs.lastTestedAt,
      lastTestOk: providerConfigs.lastTestOk,
      lastTestError: providerConfigs.lastTestError,
      keyInvalidAt: providerConfigs.keyInvalidAt,
      keyInvalidReason: providerConfigs.keyInvalidReason,
      createdAt: providerConfigs.createdAt,
    })
    .from(providerConfigs)
    .where(eq(providerConfigs.tenantId, tenantId))
    .orderBy(...defaultFirst);
}
export type ProviderConfigSummary = Awaited<ReturnType<typeof listProviderConfigs>>[number];

/** `tested` is the result of a test of exactly these values before saving, if there was one; `models` defaults to none further. */
export async function createProviderConfig(db: Db, tenantId: string, actorUserId: string | null, input: Omit<ProviderConfigInput, "models"> & { models?: string[] }, tested: ConnectionTestResult | null = null) {
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: providerConfigs.id }).from(providerConfigs).where(eq(providerConfigs.tenantId, tenantId)).limit(1);
    const isDefault = input.isDefault || existing.length === 0;
    if (isDefault) await tx.update(providerConfigs).set({ isDefault: false }).where(eq(providerConfigs.tenantId, tenantId));
    const [row] = await tx
      .insert(providerConfigs)
      .values({ tenantId, provider: input.provider, name: input.name, model: input.model, models: input.models ?? [], baseUrl: input.baseUrl ?? null, apiKeyEnc: encryptSecret(input.apiKey), apiKeyHint: secretHint(input.apiKey), isDefault, ...testColumns(tested) })
      .returning({ id: providerConfigs.id });
    await recordAudit(tx, { tenantId, actorUserId, action: "provider.created", targetType: "provider_config", targetId: row!.id, details: { provider: input.provider, model: input.model } });
    forgetTenantLlm(tenantId);
    return row!;
  });
}

export type ProviderConfigEdit = { name: string; model: string; models: string[]; baseUrl: string | null; apiKey?: string };

/**
 * Saves an edit. `test` says what becomes of the stored test result: a test of the edited values
 * replaces it, an edit of what is called (model, base URL, key) clears it, a new name keeps it.
 */
export async function updateProviderConfig(db: Db, tenantId: string, actorUserId: string | null, id: string, edit: ProviderConfigEdit, test: { tested: ConnectionTestResult | null; connectionChanged: boolean }) {
  const testUpdate = test.tested ? testColumns(test.tested) : test.connectionChanged ? testColumns(null) : {};
  // A new key is no longer the one the provider refused.
  const key = edit.apiKey ? { apiKeyEnc: encryptSecret(edit.apiKey), apiKeyHint: secretHint(edit.apiKey), keyInvalidAt: null, keyInvalidReason: null } : {};
  const [row] = await db
    .update(providerConfigs)
    .set({ name: edit.name, model: edit.model, models: edit.models, baseUrl: edit.baseUrl, ...key, ...testUpdate, updatedAt: new Date() })
    .where(ofTenant(tenantId, id))
    .returning({ id: providerConfigs.id });
  if (!row) throw NOT_FOUND();
  await recordAudit(db, { tenantId, actorUserId, action: "provider.updated", targetType: "provider_config", targetId: id, details: { model: edit.model, keyReplaced: Boolean(edit.apiKey) } });
  forgetTenantLlm(tenantId);
  return row;
}

/** The bot tries the default model first; exactly one model is the default while any exist. */
export async function setDefaultProviderConfig(db: Db, tenantId: string, actorUserId: string | null, id: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ id: providerConfigs.id }).from(providerConfigs).where(ofTenant(tenantId, id));
    if (!row) throw NOT_FOUND();
    await tx.update(providerConfigs).set({ isDefault: false }).where(eq(providerConfigs.tenantId, tenantId));
    await tx.update(providerConfigs).set({ isDefault: true }).where(ofTenant(tenantId, id));
    await recordAudit(tx, { tenantId, actorUserId, action: "provider.default_changed", targetType: "provider_config", targetId: id });
  });
  forgetTenantLlm(tenantId);
}

/** Stores a test of the model as saved (re-tested from the list). */
export async function recordProviderTest(db: Db, tenantId: string, id: string, result: ConnectionTestResult) {
  await db.update(providerConfigs).set(testColumns(result)).where(ofTenant(tenantId, id));
}

export async function deleteProviderConfig(db: Db, tenantId: string, actorUserId: string | null, id: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(providerConfigs).where(ofTenant(tenantId, id)).returning({ id: providerConfigs.id, isDefault: providerConfigs.isDefault });
    if (!row) throw NOT_FOUND();
    if (row.isDefault) {
      const [next] = await tx.select({ id: providerConfigs.id }).from(providerConfigs).where(eq(providerConfigs.tenantId, tenantId)).orderBy(asc(providerConfigs.createdAt)).limit(1);
      if (next) await tx.update(providerConfigs).set({ isDefault: true }).where(eq(providerConfigs.id, next.id));
    }
    await recordAudit(tx, { tenantId, actorUserId, action: "provider.deleted", targetType: "provider_config", targetId: id });
  });
  forgetTenantLlm(tenantId);
}

function secretOf(r: typeof providerConfigs.$inferSelect) {
  return { id: r.id, provider: r.provider, model: r.model, models: r.models, baseUrl: r.baseUrl, apiKey: decryptSecret(r.apiKeyEnc), isDefault: r.isDefault, keyInvalid: r.keyInvalidAt !== null };
}

/** Decrypted configs for the model router; never sent to a browser. */
export async function loadProviderSecrets(db: Db, tenantId: string) {
  const rows = await db.select().from(providerConfigs).where(eq(providerConfigs.tenantId, tenantId)).orderBy(...defaultFirst);
  return rows.map(secretOf);
}

/** One decrypted config of this tenant, for a test or an edit; never sent to a browser. */
export async function loadProviderSecret(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(providerConfigs).where(ofTenant(tenantId, id));
  if (!row) throw NOT_FOUND();
  return secretOf(row);
}
