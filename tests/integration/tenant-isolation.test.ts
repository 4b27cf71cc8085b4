import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, channels, flows, memberships, providerConfigs, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

const FLOW = {
  name: "support",
  version: "1.0",
  initial_state: "greeting",
  states: { greeting: { type: "response", config: { response_templates: { default: "Hello from B" } }, transitions: [] } },
};

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
let a: { tenantId: string; userId: string };
let b: { tenantId: string; userId: string; flowId: string; providerId: string; keyId: string; conversationId: string };

async function owner(company: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email: `${company.toLowerCase()}-${Date.now()}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  return { tenantId: tenant.id, userId: user.id };
}

async function snapshotB() {
  const [channel] = await handle.db.select().from(channels).where(eq(channels.tenantId, b.tenantId));
  const [flow] = await handle.db.select().from(flows).where(eq(flows.id, b.flowId));
  const members = await handle.db.select().from(memberships).where(eq(memberships.tenantId, b.tenantId));
  const [key] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, b.keyId));
  const providers = await handle.db.select().from(providerConfigs).where(eq(providerConfigs.tenantId, b.tenantId));
  return { channel, flow, members: members.length, keyRevoked: key?.revokedAt, providers: providers.length };
}

beforeAll(async () => {
  handle = await createTestDb();
  a = await owner("Alpha");
  const ob = await owner("Bravo");
  const apiB = callerFor({ db: handle.db, kv, mailer }, ob.userId, ob.tenantId);
  await apiB.channels.update({ type: "web", enabled: true, settings: { title: "Bravo help", welcome_message: "Hi from Bravo" } });
  const flow = await apiB.flows.create({ name: "support", definition: FLOW });
  const provider = await apiB.models.create({ provider: "openai", name: "Main", model: "gpt-4o-mini", apiKey: "sk-bravo-secret-key" });
  const key = await apiB.apiKeys.create({ name: "server" });
  const chat = await apiB.chat.test({ text: "Hello there" });
  b = { ...ob, flowId: flow.id, providerId: provider.id, keyId: key.id, conversationId: chat.conversation_id };
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

const expectCode = async (p: Promise<unknown>, code: TRPCError["code"]) => {
  await expect(p).rejects.toBeInstanceOf(TRPCError);
  await expect(p).rejects.toMatchObject({ code });
};

describe("tenant isolation through tRPC", () => {
  it("forbids a member of A from acting in B by switching the active workspace", async () => {
    const before = await snapshotB();
    const asAinB = callerFor({ db: handle.db, kv, mailer }, a.userId, b.tenantId);
    await expectCode(asAinB.channels.get({ type: "web" }), "FORBIDDEN");
    await expectCode(asAinB.channels.list(), "FORBIDDEN");
    await expectCode(asAinB.channels.update({ type: "web", settings: { title: "pwned" } }), "FORBIDDEN");
    await expectCode(asAinB.flows.list(), "FORBIDDEN");
    await expectCode(asAinB.flows.get({ flowId: b.flowId }), "FORBIDDEN");
    await expectCode(asAinB.flows.publish({ flowId: b.flowId }), "FORBIDDEN");
    await expectCode(asAinB.team.members(), "FORBIDDEN");
    await expectCode(asAinB.team.invite({ email: "mole@example.com", role: "owner" }), "FORBIDDEN");
    await expectCode(asAinB.models.list(), "FORBIDDEN");
    await expectCode(asAinB.apiKeys.create({ name: "stolen" }), "FORBIDDEN");
    await expectCode(asAinB.chat.test({ text: "hi", conversationId: b.conversationId }), "FORBIDDEN");
    await expectCode(callerFor({ db: handle.db, kv, mailer }, a.userId).tenant.switch({ tenantId: b.tenantId }), "FORBIDDEN");
    expect(await snapshotB()).toEqual(before);
  });

  it("answers NOT_FOUND when A names B's records from A's own workspace, and changes nothing", async () => {
    const before = await snapshotB();
    const asA = callerFor({ db: handle.db, kv, mailer }, a.userId, a.tenantId);
    await expectCode(asA.flows.get({ flowId: b.flowId }), "NOT_FOUND");
    await expectCode(asA.flows.saveDraft({ flowId: b.flowId, definition: { hacked: true }, canvas: {}, baseRevision: 0 }), "NOT_FOUND");
    await expectCode(asA.flows.publish({ flowId: b.flowId }), "NOT_FOUND");
    await expectCode(asA.team.remove({ userId: b.userId }), "NOT_FOUND");
    await expectCode(asA.models.remove({ id: b.providerId }), "NOT_FOUND");
    await expectCode(asA.apiKeys.revoke({ id: b.keyId }), "NOT_FOUND");
    await expectCode(asA.chat.test({ text: "show me their chat", conversationId: b.conversationId }), "NOT_FOUND");
    expect(await asA.flows.list()).toEqual([]);
    expect((await asA.team.members()).map((m) => m.userId)).toEqual([a.userId]);
    expect(await asA.channels.get({ type: "web" })).toBeNull();
    expect(await snapshotB()).toEqual(before);
  });

  it("never returns stored secrets, only hints", async () => {
    const asB = callerFor({ db: handle.db, kv, mailer }, b.userId, b.tenantId);
    const [model] = await asB.models.list();
    expect(JSON.stringify(model)).not.toContain("sk-bravo-secret-key");
    const [row] = await handle.db.select().from(providerConfigs).where(eq(providerConfigs.id, b.providerId));
    expect(row?.apiKeyEnc).not.toContain("sk-bravo");
  });

  it("keeps a plain member from changing workspace settings", async () => {
    const [member] = await handle.db.insert(users).values({ email: `member-${Date.now()}@example.com`, passwordHash: "x", emailVerifiedAt: new Date() }).returning();
    await handle.db.insert(memberships).values({ tenantId: b.tenantId, userId: member!.id, role: "member" });
    const asMember = callerFor({ db: handle.db, kv, mailer }, member!.id, b.tenantId);
    expect((await asMember.channels.get({ type: "web" }))?.settings.title).toBe("Bravo help");
    await expectCode(asMember.channels.update({ type: "web", settings: { title: "changed" } }), "FORBIDDEN");
    await expectCode(asMember.team.invite({ email: "friend@example.com", role: "admin" }), "FORBIDDEN");
  });

  it("rejects every tenant procedure without a session", async () => {
    await expectCode(callerFor({ db: handle.db, kv, mailer }, null).channels.list(), "UNAUTHORIZED");
  });
});
