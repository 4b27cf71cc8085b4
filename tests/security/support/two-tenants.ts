import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, memberships, messages, modelSpendDays, outboxMessages, users } from "@/db/schema";
import type { Kv } from "@/server/cache/kv";
import type { Mailer } from "@/server/email/mailer";
import { hashPassword } from "@/server/auth/passwords";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../../helpers/capture-mailer";
import { callerFor } from "../../helpers/trpc-caller";
import { FOREIGN_WORD, markersOf } from "./foreign-markers";
import { snapshotTenant } from "./tenant-snapshot";

/** Tenant A: the attacker's own workspace, with just enough to authenticate and to own a conversation. */
export type Own = { tenantId: string; ownerId: string; ownerEmail: string; apiKey: string; widgetKey: string; conversationId: string };

/** Tenant B: the victim, with a record behind every kind of id a procedure or route accepts. */
export type Foreign = {
  tenantId: string;
  companyName: string;
  flowName: string;
  ownerId: string;
  ownerEmail: string;
  memberId: string;
  memberEmail: string;
  flowId: string;
  providerId: string;
  /** A "provider:model" B set its own price for. */
  pricedModel: string;
  keyId: string;
  widgetKey: string;
  apiKey: string;
  invitationToken: string;
  invitationId: string;
  testCaseId: string;
  restEndUser: string;
  restMessageId: string;
  widgetVisitor: string;
  /** An undelivered reply of B's (an outbox row, dead after its retries) in the REST conversation. */
  deadLetterId: string;
  conversations: { dashboard: string; rest: string; widget: string };
};

type Deps = { db: Db; kv: Kv; mailer: Mailer };

const flowSaying = (text: string) => ({
  name: "support",
  version: "1.0",
  initial_state: "greeting",
  states: { greeting: { type: "response", config: { response_templates: { default: text } }, transitions: [] } },
});

const text = (value: string) => ({ type: "text" as const, text: value });

async function owner(db: Db, companyName: string, email: string) {
  const { tenant, user } = await createTenantWithOwner(db, { companyName, email, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan: "enterprise" });
  return { tenantId: tenant.id, ownerId: user.id };
}

async function seedOwn(deps: Deps): Promise<Own> {
  const ownerEmail = `alpha-${Date.now()}@example.com`;
  const { tenantId, ownerId } = await owner(deps.db, "Alpha Alpaca", ownerEmail);
  const api = callerFor(deps, ownerId, tenantId);
  const web = await api.channels.update({ type: "web", enabled: true, settings: { title: "Alpha help" } });
  const { key } = await api.apiKeys.create({ name: "alpha-server" });
  const chat = await processMessage(pipelineDepsFor(deps.db), tenantId, { user_id: "alpha-customer", channel: "web", content: text("Hello") });
  return { tenantId, ownerId, ownerEmail, apiKey: key, widgetKey: web.publicKey, conversationId: chat.conversation_id };
}

async function seedForeign(deps: Deps): Promise<Foreign> {
  const companyName = `Bravo ${FOREIGN_WORD} Ltd`;
  const ownerEmail = `${FOREIGN_WORD}-owner-${Date.now()}@example.com`;
  const { tenantId, ownerId } = await owner(deps.db, companyName, ownerEmail);
  const api = callerFor(deps, ownerId, tenantId);
  const web = await api.channels.update({ type: "web", enabled: true, settings: { title: `${FOREIGN_WORD} help`, welcome_message: `Hi from ${FOREIGN_WORD}` } });
  await api.channels.update({
    type: "whatsapp",
    settings: { phone_number_id: `${FOREIGN_WORD}-phone-1` },
    secrets: { access_token: `${FOREIGN_WORD}-wa-token`, app_secret: `${FOREIGN_WORD}-wa-app-secret`, verify_token: `${FOREIGN_WORD}-wa-verify` },
  });
  const flowName = `${FOREIGN_WORD} support`;
  const flow = await api.flows.create({ name: flowName, definition: flowSaying(`${FOREIGN_WORD} support here`) });
  await api.flows.publish({ flowId: flow.id });
  await api.flows.saveDraft({ flowId: flow.id, definition: flowSaying(`${FOREIGN_WORD} draft, not yet live`), canvas: {}, baseRevision: 0 });
  const provider = await api.models.create({ provider: "openai", name: `${FOREIGN_WORD}-main`, model: "gpt-4o-mini", apiKey: `sk-${FOREIGN_WORD}-secret-key` });
  await api.models.saveRouting({ chain: ["openai:gpt-4o-mini"], max_cost_cents: 7, monthly_budget_cents: 777 });
  const pricedModel = `openai_compatible:${FOREIGN_WORD}-llama`;
  await api.models.setPrice({ model: pricedModel, input_cents_per_mtok: 7, output_cents_per_mtok: 77 });
  await deps.db.insert(modelSpendDays).values({ tenantId, day: new Date().toISOString().slice(0, 10), provider: "openai", model: `${FOREIGN_WORD}-tuned`, calls: 1, costCents: 7 });
  const key = await api.apiKeys.create({ name: `${FOREIGN_WORD}-server` });
  // The invitee's address carries no marker: whoever holds the token may read it (auth.invitation), by design.
  const mailer = createCaptureMailer();
  const invitation = await callerFor({ ...deps, mailer }, ownerId, tenantId).team.invite({ email: "new-hire@example.com", role: "member" });
  const invitationToken = new URL(mailer.lastLinkTo("new-hire@example.com")).searchParams.get("token")!;
  const memberEmail = `${FOREIGN_WORD}-member-${Date.now()}@example.com`;
  const [member] = await deps.db.insert(users).values({ email: memberEmail, passwordHash: await hashPassword("irrelevant-pass-1"), emailVerifiedAt: new Date() }).returning();
  await deps.db.insert(memberships).values({ tenantId, userId: member!.id, role: "member" });

  const pipeline = pipelineDepsFor(deps.db);
  const dashboard = await api.chat.test({ text: `Testing my ${FOREIGN_WORD} bot` });
  const restEndUser = "whatsapp:+15550100";
  const restMessageId = "order-msg-0001";
  const rest = await processMessage(pipeline, tenantId, { user_id: restEndUser, channel: "whatsapp", message_id: restMessageId, content: text(`Where is my ${FOREIGN_WORD} order 4242?`) });
  const widgetVisitor = "bravo-visitor-0001";
  const widget = await processMessage(pipeline, tenantId, { user_id: `web:${widgetVisitor}`, channel: "web", content: text(`My ${FOREIGN_WORD} address is 1 Main St, order 4242`) });
  const testCase = await api.flowTests.save({ conversationId: widget.conversation_id, name: `${FOREIGN_WORD} regression` });
  const [whatsapp] = await deps.db.select({ id: channels.id }).from(channels).where(and(eq(channels.tenantId, tenantId), eq(channels.type, "whatsapp")));
  const [reply] = await deps.db.select().from(messages).where(and(eq(messages.conversationId, rest.conversation_id), eq(messages.direction, "outbound"))).limit(1);
  const [deadLetter] = await deps.db
    .insert(outboxMessages)
    .values({
      tenantId,
      channelId: whatsapp!.id,
      conversationId: rest.conversation_id,
      messageId: reply!.id,
      sequence: reply!.sequence,
      address: { channel_id: whatsapp!.id, recipient: "+15550100" },
      payload: text(`Your ${FOREIGN_WORD} order ships today`),
      state: "dead",
      attempts: 8,
      lastError: `The ${FOREIGN_WORD} platform kept answering 503`,
      lastErrorCode: "http_503",
    })
    .returning();
  return {
    tenantId,
    companyName,
    flowName,
    ownerId,
    ownerEmail,
    memberId: member!.id,
    memberEmail,
    flowId: flow.id,
    providerId: provider.id,
    pricedModel,
    keyId: key.id,
    widgetKey: web.publicKey,
    apiKey: key.key,
    invitationToken,
    invitationId: invitation.id,
    testCaseId: testCase.id,
    restEndUser,
    restMessageId,
    widgetVisitor,
    deadLetterId: deadLetter!.id,
    conversations: { dashboard: dashboard.conversation_id, rest: rest.conversation_id, widget: widget.conversation_id },
  };
}

/** Two workspaces for cross-tenant attempts, and everything of B's that must never reach A. */
export async function seedTwoTenants(deps: Deps) {
  const own = await seedOwn(deps);
  const foreign = await seedForeign(deps);
  const markers = markersOf(await snapshotTenant(deps.db, foreign.tenantId), [foreign.apiKey]);
  return { own, foreign, markers };
}
