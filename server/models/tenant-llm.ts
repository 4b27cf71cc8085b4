import type { Db } from "@/db/client";
import type { LlmGenerator } from "../flows/ports";
import { createLlmGenerator } from "./llm-generator";
import { loadProviderSecrets } from "./provider-configs";

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; generator: LlmGenerator | undefined }>();

/** The tenant's model chain, cached briefly so a busy bot does not decrypt keys on every message. */
export async function tenantLlm(db: Db, tenantId: string, allowedHosts: string[], now = Date.now()): Promise<LlmGenerator | undefined> {
  const hit = cache.get(tenantId);
  if (hit && hit.at > now - TTL_MS) return hit.generator;
  const providers = await loadProviderSecrets(db, tenantId);
  const generator = providers.length ? createLlmGenerator(providers, { allowedHosts }) : undefined;
  cache.set(tenantId, { at: now, generator });
  return generator;
}

export function forgetTenantLlm(tenantId: string): void {
  cache.delete(tenantId);
}
