import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, tenants } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { sha256 } from "../security/crypto";
import { recordAudit } from "./audit";

/** Returns the plaintext key once; only its SHA-256 is stored (keys are random, so no slow hash is needed). */
export async function createApiKey(db: Db, tenantId: string, actorUserId: string | null, name = "Default") {
  const prefix = `cbk_${randomBytes(4).toString("hex")}`;
  const key = `${prefix}_${randomBytes(24).toString("base64url")}`;
  const [row] = await db.insert(apiKeys).values({ tenantId, name, prefix, keyHash: sha256(key) }).returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
  await recordAudit(db, { tenantId, actorUserId, action: "api_key.created", targetType: "api_key", targetId: row!.id });
  return { id: row!.id, name, prefix, key, createdAt: row!.createdAt };
}

export async function listApiKeys(db: Db, tenantId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt, createdAt: apiKeys.createdAt })
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, tenantId: string, actorUserId: string | null, keyId: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw new AppError("NOT_FOUND", "API key not found or already revoked.");
  forgetResolvedKey(keyId);
  await recordAudit(db, { tenantId, actorUserId, action: "api_key.revoked", targetType: "api_key", targetId: keyId });
}

const lastTouched = new Map<string, number>();

/** Records use at most once a minute per key per process, so busy keys do not write on every request. */
export function touchApiKey(db: Db, keyId: string, now = Date.now()): void {
  if ((lastTouched.get(keyId) ?? 0) > now - 60_000) return;
  lastTouched.set(keyId, now);
  db.update(apiKeys).set({ lastUsedAt: new Date(now) }).where(eq(apiKeys.id, keyId)).catch(() => lastTouched.delete(keyId));
}

type ResolvedKey = { keyId: string; tenantId: string; plan: (typeof tenants.$inferSelect)["plan"] };

// Every API request authenticates, so valid keys are remembered briefly. Revoking drops the entry in
// this process at once; other processes notice within RESOLVED_KEY_TTL_MS. Unknown keys are never
// cached, so guessing cannot fill the map.
const RESOLVED_KEY_TTL_MS = 10_000;
const MAX_RESOLVED_KEYS = 10_000;
const resolvedKeys = new Map<string, { value: ResolvedKey; expires: number }>();

export async function resolveApiKey(db: Db, key: string, now = Date.now()): Promise<ResolvedKey | null> {
  const hash = sha256(key);
  const hit = resolvedKeys.get(hash);
  if (hit && hit.expires > now) return hit.value;
  const [row] = await db
    .select({ keyId: apiKeys.id, tenantId: apiKeys.tenantId, plan: tenants.plan, status: tenants.status })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || row.status !== "active") {
    resolvedKeys.delete(hash);
    return null;
  }
  const value = { keyId: row.keyId, tenantId: row.tenantId, plan: row.plan };
  if (resolvedKeys.size >= MAX_RESOLVED_KEYS) resolvedKeys.delete(resolvedKeys.keys().next().value!);
  resolvedKeys.set(hash, { value, expires: now + RESOLVED_KEY_TTL_MS });
  return value;
}

function forgetResolvedKey(keyId: string): void {
  for (const [hash, entry] of resolvedKeys) if (entry.value.keyId === keyId) resolvedKeys.delete(hash);
}
