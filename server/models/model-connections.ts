import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerConfigs, type ProviderKind } from "@/db/schema";
import type { Kv } from "../cache/kv";
import { AppError } from "../errors/app-error";
import { enforce, failOpen } from "../http/rate-limits";
import { testConnection, type ConnectionTarget } from "./connection-test";
import { furtherModels, type ConnectionDraft, type ProviderConfigInput, type ProviderConfigUpdate } from "./provider-config-schema";
import { createProviderConfig, listProviderConfigs, loadProviderSecret, recordProviderTest, updateProviderConfig } from "./provider-configs";
import { PROVIDER_LABELS } from "./provider-labels";
import { issueTestReceipt, redeemTestReceipt } from "./test-receipt";

/** Tests per workspace per minute: enough to fix a typo and retry, too few to scan a network with. */
export const MODEL_TESTS_PER_MINUTE = 20;

export type ModelDeps = { db: Db; kv: Kv; tenantId: string; actorUserId: string | null; allowedHosts: string[] };
type Saved = Awaited<ReturnType<typeof loadProviderSecret>>;

async function limitTests(kv: Kv, tenantId: string) {
  enforce(await failOpen(kv.slidingWindow(`rl:model-test:${tenantId}`, MODEL_TESTS_PER_MINUTE, 60_000)), "Too many connection tests in a minute; wait a moment and try again.");
}

const fieldError = (field: string, message: string) => new AppError("VALIDATION_ERROR", message, { fields: { [field]: message } });

/**
 * What an edit of a saved model would call. Its key goes only where it went before: pointing the
 * model at a new base URL needs the key typed again, so a stored key cannot be sent somewhere new.
 */
function editedTarget(saved: Saved, edit: { model: string; baseUrl?: string; apiKey?: string }): ConnectionTarget {
  const baseUrl = edit.baseUrl ?? null;
  if (saved.provider === "openai_compatible" && !baseUrl) throw fieldError("baseUrl", "An OpenAI-compatible server needs its base URL");
  if (baseUrl !== saved.baseUrl && !edit.apiKey) throw fieldError("apiKey", "Enter the API key again to use it with a new base URL");
  return { provider: saved.provider, model: edit.model, baseUrl, apiKey: edit.apiKey ?? saved.apiKey };
}

const sameConnection = (a: ConnectionTarget, b: ConnectionTarget) => a.model === b.model && a.baseUrl === b.baseUrl && a.apiKey === b.apiKey;

/** Tests a saved model as stored and keeps the result on its row. */
export async function testSavedModel(deps: ModelDeps, id: string) {
  await limitTests(deps.kv, deps.tenantId);
  const saved = await loadProviderSecret(deps.db, deps.tenantId, id);
  const result = await testConnection(saved, { allowedHosts: deps.allowedHosts });
  await recordProviderTest(deps.db, deps.tenantId, id, result);
  return result;
}

/** Tests form values before they are saved; the receipt lets the save keep the result. */
export async function testDraftModel(deps: ModelDeps, draft: ConnectionDraft) {
  await limitTests(deps.kv, deps.tenantId);
  const target = draft.id
    ? editedTarget(await loadProviderSecret(deps.db, deps.tenantId, draft.id), draft)
    : { provider: draft.provider, model: draft.model, baseUrl: draft.baseUrl ?? null, apiKey: draft.apiKey! };
  const result = await testConnection(target, { allowedHosts: deps.allowedHosts });
  return { ...result, receipt: issueTestReceipt(deps.tenantId, target, result) };
}

export async function createModel(deps: ModelDeps, input: ProviderConfigInput) {
  const target = { provider: input.provider, model: input.model, baseUrl: input.baseUrl ?? null, apiKey: input.apiKey };
  return createProviderConfig(deps.db, deps.tenantId, deps.actorUserId, input, redeemTestReceipt(input.testReceipt, deps.tenantId, target));
}

export async function updateModel(deps: ModelDeps, input: ProviderConfigUpdate) {
  const saved = await loadProviderSecret(deps.db, deps.tenantId, input.id);
  const target = editedTarget(saved, input);
  const test = { tested: redeemTestReceipt(input.testReceipt, deps.tenantId, target), connectionChanged: !sameConnection(saved, target) };
  return updateProviderConfig(deps.db, deps.tenantId, deps.actorUserId, input.id, { name: input.name, model: target.model, models: input.models, baseUrl: target.baseUrl, apiKey: input.apiKey }, test);
}

export type ProviderConnectionSet = { provider: ProviderKind; apiKey: string; baseUrl?: string; models: string[]; name?: string };

/**
 * What an operator's `provider set` does: updates the tenant's connection to that provider at that
 * base URL, or connects it. Untested, so it shows as "Not tested" until someone tests it.
 */
export async function setProviderConnection(db: Db, tenantId: string, input: ProviderConnectionSet) {
  const [model, ...models] = input.models;
  const baseUrl = input.baseUrl ?? null;
  const [existing] = await db
    .select({ id: providerConfigs.id, name: providerConfigs.name })
    .from(providerConfigs)
    .where(and(eq(providerConfigs.tenantId, tenantId), eq(providerConfigs.provider, input.provider), baseUrl ? eq(providerConfigs.baseUrl, baseUrl) : isNull(providerConfigs.baseUrl)))
    .limit(1);
  const values = { ...furtherModels({ model: model!, models }), baseUrl, apiKey: input.apiKey };
  if (!existing) {
    const { id } = await createProviderConfig(db, tenantId, null, { ...values, provider: input.provider, name: input.name ?? PROVIDER_LABELS[input.provider], baseUrl: input.baseUrl, isDefault: false });
    return { created: true, connection: await summaryOf(db, tenantId, id) };
  }
  const saved = await loadProviderSecret(db, tenantId, existing.id);
  await updateProviderConfig(db, tenantId, null, existing.id, { ...values, name: input.name ?? existing.name }, { tested: null, connectionChanged: !sameConnection(saved, { ...values, provider: input.provider }) });
  return { created: false, connection: await summaryOf(db, tenantId, existing.id) };
}

const summaryOf = async (db: Db, tenantId: string, id: string) => (await listProviderConfigs(db, tenantId)).find((c) => c.id === id)!;
