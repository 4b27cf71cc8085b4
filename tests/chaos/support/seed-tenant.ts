import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import type { Plan } from "@/db/schema";
import { createApiKey } from "@/server/tenants/api-keys";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";

/** A tenant on the starter flow with one API key. The password hash is never checked here. */
export async function seedTenant(db: Db, plan: Plan = "enterprise"): Promise<{ tenantId: string; key: string }> {
  const suffix = randomUUID().slice(0, 8);
  const { tenant } = await createTenantWithOwner(db, { companyName: `Chaos ${suffix}`, email: `chaos-${suffix}@example.com`, passwordHash: "unused", verified: true, plan });
  return { tenantId: tenant.id, key: (await createApiKey(db, tenant.id, null)).key };
}

export function chatRequest(key: string, body: unknown, base = "http://127.0.0.1"): Request {
  return new Request(`${base}/api/v2/chat/message`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}
