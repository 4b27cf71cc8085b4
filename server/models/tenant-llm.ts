import type { Db } from "@/db/client";
import type { LlmGenerator } from "../flows/ports";
import { createLlmGenerator } from "./llm-generator";
import { loadProviderSecrets } from "./provider-configs";
import { cachedTenantLlm, rememberTenantLlm } from "./tenant-llm-cache";

/** The tenant's model chain, cached briefly so a busy bot does not decrypt keys on every message. */
export async function tenantLlm(db: Db, tenantId: string, allowedHosts: string[], now = Date.now()): Promise<LlmGenerator | undefined> {
  const hit = cachedTenantLlm(tenantId, now);
  if (hit) return hit.generator;
  const providers = await loadProviderSecrets(db, tenantId);
  const generator = providers.length ? createLlmGenerator(providers, { allowedHosts }) : undefined;
  rememberTenantLlm(tenantId, generator, now);
  return generator;
}
