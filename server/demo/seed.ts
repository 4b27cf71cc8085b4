import { and, asc, count, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { conversations, flows, flowVersions, memberships, messages, tenants, users } from "@/db/schema";
import { rebuildRollups } from "../analytics/refresh-rollups";
import { hashPassword } from "../auth/passwords";
import { upsertChannel } from "../channels/channel-service";
import { createFlow, publishFlow } from "../flow-store/flow-service";
import { flowDefinitionSchema, type FlowDefinition } from "../flows/flow-schema";
import demoFlow from "../flows/demo-flow.json";
import { createApiKey } from "../tenants/api-keys";
import { createTenantWithOwner } from "../tenants/tenant-service";
import { env } from "../env";
import type { SeedAgent } from "./seed-conversation";
import { seedHistory } from "./seed-history";

const DEMO_API_PLACEHOLDER = "https://api.acme.example";

export const DEMO_LOGIN = { email: "demo@acme.test", password: "demo-password-2026", company: "Acme Store" };
/** A second member who answers handoffs, so the inbox shows conversations someone else has. */
export const DEMO_AGENT = { email: "ann@acme.test", name: "Ann Becker" };
const DEMO_OWNER_NAME = "Dana Fischer";
/** Not UTC, so the analytics' local days visibly differ from UTC days. */
export const DEMO_TIME_ZONE = "Europe/Berlin";

type DemoWorkspace = { tenantId: string; agents: SeedAgent[]; flow: FlowDefinition; flowVersionId: string };

async function createWorkspace(db: Db): Promise<DemoWorkspace> {
  const passwordHash = await hashPassword(DEMO_LOGIN.password);
  const { tenant, user } = await createTenantWithOwner(db, { companyName: DEMO_LOGIN.company, email: DEMO_LOGIN.email, passwordHash, plan: "professional", verified: true });
  await db.update(users).set({ name: DEMO_OWNER_NAME }).where(eq(users.id, user.id));
  await db.update(tenants).set({ timeZone: DEMO_TIME_ZONE }).where(eq(tenants.id, tenant.id));
  const [ann] = await db.insert(users).values({ email: DEMO_AGENT.email, name: DEMO_AGENT.name, passwordHash, emailVerifiedAt: new Date() }).returning();
  // Ann is available, so the seeded queue is not handed back by an away timer before anyone looks at it.
  await db.insert(memberships).values({ tenantId: tenant.id, userId: ann!.id, role: "member", available: true });
  await upsertChannel(db, tenant.id, user.id, {
    type: "web",
    enabled: true,
    settings: { title: "Acme Store", welcome_message: "Hi! I can help you find a product or track an order.", brand_color: "#0f766e" },
    secrets: {},
  });
  // The demo flow's integrations point at the demo store API this app serves itself.
  const definition = JSON.parse(JSON.stringify(demoFlow).replaceAll(DEMO_API_PLACEHOLDER, `${env().APP_URL}/api/demo`));
  const flow = await createFlow(db, tenant.id, user.id, { name: "Acme store assistant", definition });
  const version = await publishFlow(db, tenant.id, user.id, flow.id);
  await createApiKey(db, tenant.id, user.id, "Demo key");
  return {
    tenantId: tenant.id,
    agents: [
      { userId: ann!.id, email: DEMO_AGENT.email, name: DEMO_AGENT.name },
      { userId: user.id, email: DEMO_LOGIN.email, name: DEMO_OWNER_NAME },
    ],
    flow: flowDefinitionSchema.parse(version.definition),
    flowVersionId: version.id,
  };
}

/** The demo tenant the demo login owns, if it was created before. */
async function findWorkspace(db: Db): Promise<DemoWorkspace | null> {
  const [owner] = await db
    .select({ tenantId: memberships.tenantId })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.role, "owner")))
    .where(eq(users.email, DEMO_LOGIN.email))
    .limit(1);
  if (!owner) return null;
  const members = await db
    .select({ userId: users.id, email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, owner.tenantId))
    // Members before the owner, so Ann (not the demo login) has the conversation that is with a person.
    .orderBy(asc(memberships.role), memberships.createdAt);
  const [live] = await db
    .select({ id: flowVersions.id, definition: flowVersions.definition })
    .from(flows)
    .innerJoin(flowVersions, and(eq(flowVersions.id, flows.publishedVersionId), eq(flowVersions.tenantId, flows.tenantId)))
    .where(eq(flows.tenantId, owner.tenantId))
    .orderBy(desc(flowVersions.createdAt))
    .limit(1);
  if (!live) return null;
  return { tenantId: owner.tenantId, agents: members, flow: flowDefinitionSchema.parse(live.definition), flowVersionId: live.id };
}

async function countOf(db: Db, tenantId: string) {
  const [c] = await db.select({ n: count() }).from(conversations).where(eq(conversations.tenantId, tenantId));
  const [m] = await db.select({ n: count() }).from(messages).where(eq(messages.tenantId, tenantId));
  return { conversations: Number(c?.n ?? 0), messages: Number(m?.n ?? 0) };
}

/**
 * The demo workspace (login, web widget, the Acme flow published, an API key, a second agent) and four weeks
 * of conversations ending `now`, with handoffs answered by the agents and a few still waiting. Safe to run
 * again: an existing workspace is kept, and history is written only while the workspace has none.
 */
export async function seedDemo(db: Db, opts: { days?: number; now?: Date } = {}) {
  const days = opts.days ?? 28;
  const now = opts.now ?? new Date();
  const workspace = (await findWorkspace(db)) ?? (await createWorkspace(db));
  const { tenantId } = workspace;
  const before = await countOf(db, tenantId);
  if (before.conversations > 0) return { tenantId, ...before, days, seeded: false };
  await seedHistory(db, { tenantId, flow: workspace.flow, flowVersionId: workspace.flowVersionId, agents: workspace.agents, days, now });
  // Everything was written with past timestamps, so every day is recounted, not only "changed since last time".
  await rebuildRollups(db, tenantId, now);
  return { tenantId, ...(await countOf(db, tenantId)), days, seeded: true };
}
