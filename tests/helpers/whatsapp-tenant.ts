import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, conversations, messages } from "@/db/schema";
import { upsertChannel } from "@/server/channels/channel-service";
import { processInboxBatch } from "@/server/channels/inbox-processor";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import { deliverOutboxBatch } from "@/server/outbox/deliver";
import type { PipelineDeps } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";

/** Three steps whose replies carry 3 quick replies (buttons), then 5 (a list), then an echo of the user's words. */
export const shopFlow = (greeting = "Hi {user_name}! Which size?"): FlowDefinitionInput => ({
  name: "sizes",
  version: "1.0",
  initial_state: "size",
  states: {
    size: { type: "response", config: { response_templates: { default: greeting }, quick_replies: ["Small", "Medium", "Large"] }, transitions: [{ condition: "any_input", target_state: "colour" }] },
    colour: { type: "response", config: { response_templates: { default: "And which colour?" }, quick_replies: ["Red", "Green", "Blue", "Black", "White"] }, transitions: [{ condition: "any_input", target_state: "echo" }] },
    echo: { type: "response", config: { response_templates: { default: "You said: {input}" } }, transitions: [{ condition: "any_input", target_state: "echo" }] },
  },
});

export type WhatsappTenant = { tenantId: string; channelId: string; publicKey: string; secrets: Record<string, string> };

/**
 * A tenant with the flow published (shopFlow unless given) and its WhatsApp channel enabled in `mode`, pointing at a fake platform.
 * Call with OUTBOUND_ALLOWED_HOSTS admitting `apiBaseUrl` (the channel's URL is checked when saved).
 */
export async function whatsappTenant(db: Db, opts: { company: string; mode: "cloud" | "bridge"; apiBaseUrl: string; phoneNumberId?: string; flow?: FlowDefinitionInput | null }): Promise<WhatsappTenant> {
  const { tenant, user } = await createTenantWithOwner(db, { companyName: opts.company, email: `owner@${opts.company.toLowerCase()}.test`, passwordHash: "not-a-login", verified: true });
  // null: no flow of its own (a test that never runs a turn saves the publishing).
  if (opts.flow !== null) {
    const flow = await createFlow(db, tenant.id, user.id, { name: "main", definition: opts.flow ?? shopFlow() });
    await publishFlow(db, tenant.id, user.id, flow.id);
  }
  const secret = () => randomBytes(12).toString("hex");
  const secrets: Record<string, string> =
    opts.mode === "cloud" ? { access_token: `EAA${secret()}`, app_secret: secret(), verify_token: secret() } : { bridge_secret: secret() };
  const settings = opts.mode === "cloud" ? { mode: "cloud", phone_number_id: opts.phoneNumberId ?? "106540352242922", api_base_url: opts.apiBaseUrl } : { mode: "bridge", bridge_number: "+15550001111", api_base_url: opts.apiBaseUrl };
  const view = await upsertChannel(db, tenant.id, user.id, { type: "whatsapp", enabled: true, settings, secrets });
  const [row] = await db.select({ id: channels.id }).from(channels).where(eq(channels.publicKey, view.publicKey));
  return { tenantId: tenant.id, channelId: row!.id, publicKey: view.publicKey, secrets };
}

/** Runs the inbox and the outbox until neither finds work, as the delivery workers would (at `now`). */
export async function drainDelivery(db: Db, deps: PipelineDeps, now: () => Date = () => new Date()): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const ran = await processInboxBatch(db, () => deps, now());
    const sent = await deliverOutboxBatch(db, { now: now(), random: () => 0.5 });
    if (ran === 0 && sent === 0) return;
  }
  throw new Error("delivery did not settle in 20 rounds");
}

/** The end user's conversation in the tenant (the first found), or undefined. */
export async function conversationOf(db: Db, tenantId: string, userId: string) {
  const [c] = await db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, userId)));
  return c;
}

/** The end user's inbound messages in their conversation, in order. */
export async function inboundOf(db: Db, tenantId: string, userId: string) {
  const c = await conversationOf(db, tenantId, userId);
  if (!c) return [];
  return db.select().from(messages).where(and(eq(messages.conversationId, c.id), eq(messages.direction, "inbound"))).orderBy(asc(messages.sequence));
}
