import type { LlmGenerator } from "../flows/ports";

const TTL_MS = 30_000;

/** A tenant's router as built from its rows; `refresh` runs before each turn that uses the cached one. */
export type CachedLlm = { generator: LlmGenerator | undefined; refresh?: () => Promise<void> };
const cache = new Map<string, CachedLlm & { at: number }>();

/** A tenant's model router from the last TTL_MS; `undefined` as the generator means "no model connected". */
export function cachedTenantLlm(tenantId: string, now: number): CachedLlm | null {
  const hit = cache.get(tenantId);
  return hit && hit.at > now - TTL_MS ? hit : null;
}

export function rememberTenantLlm(tenantId: string, entry: CachedLlm, now: number): void {
  cache.set(tenantId, { ...entry, at: now });
}

/** Called when a tenant's model connections, routing or prices change, so the next message uses the new ones. */
export function forgetTenantLlm(tenantId: string): void {
  cache.delete(tenantId);
}
