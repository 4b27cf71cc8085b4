import type { LlmGenerator } from "../flows/ports";

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; generator: LlmGenerator | undefined }>();

/** A tenant's model chain from the last TTL_MS; `undefined` as the generator means "no model connected". */
export function cachedTenantLlm(tenantId: string, now: number): { generator: LlmGenerator | undefined } | null {
  const hit = cache.get(tenantId);
  return hit && hit.at > now - TTL_MS ? hit : null;
}

export function rememberTenantLlm(tenantId: string, generator: LlmGenerator | undefined, now: number): void {
  cache.set(tenantId, { at: now, generator });
}

/** Called when a tenant's model connections change, so the next message uses the new ones. */
export function forgetTenantLlm(tenantId: string): void {
  cache.delete(tenantId);
}
