import type { Db } from "@/db/client";
import { hashPassword } from "@/server/auth/passwords";
import { resetEnvForTests } from "@/server/env";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import demoFlow from "@/server/flows/demo-flow.json";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";

/** A tenant whose live flow is the demo flow, its integrations pointed at the fake store API on loopback. */
export async function demoStoreTenant(db: Db, store: { baseUrl: string; host: string }): Promise<{ tenantId: string; definition: typeof demoFlow }> {
  const { tenant } = await createTenantWithOwner(db, { companyName: "Acme", email: "owner@acme.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  // Publishing refuses private endpoints unless the operator allows them, as a deployment would for its own store API.
  process.env.OUTBOUND_ALLOWED_HOSTS = store.host;
  resetEnvForTests();
  const definition = JSON.parse(JSON.stringify(demoFlow).replaceAll("https://api.acme.example", store.baseUrl)) as typeof demoFlow;
  const flow = await createFlow(db, tenant.id, null, { name: "demo", definition });
  await publishFlow(db, tenant.id, null, flow.id);
  return { tenantId: tenant.id, definition };
}
