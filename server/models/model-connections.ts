import type { Db } from "@/db/client";
import type { Kv } from "../cache/kv";
import { AppError } from "../errors/app-error";
import { enforce, failOpen } from "../http/rate-limits";
import { testConnection, type ConnectionTarget } from "./connection-test";
import type { ConnectionDraft, ProviderConfigInput, ProviderConfigUpdate } from "./provider-config-schema";
import { createProviderConfig, loadProviderSecret, recordProviderTest, updateProviderConfig } from "./provider-configs";
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
  return updateProviderConfig(deps.db, deps.tenantId, deps.actorUserId, input.id, { name: input.name, model: target.model, baseUrl: target.baseUrl, apiKey: input.apiKey }, test);
}
