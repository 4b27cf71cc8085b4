import { hashPassword } from "@/server/auth/passwords";
import { upsertChannel, type ChannelUpdate } from "@/server/channels/channel-service";
import { processInboxBatch } from "@/server/channels/inbox-processor";
import { handleWebhook } from "@/server/channels/webhook-handler";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import { deliverOutboxBatch } from "@/server/outbox/deliver";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import type { createTestDb } from "./test-db";

export const WELCOME = "Welcome to Acme support. What can I do for you?";
export const QUICK_REPLIES = ["Track an order", "Talk to a person"];

/** Every message gets the same answer with two quick replies, so a test can check the words on the platform. */
const welcomeFlow: FlowDefinitionInput = {
  name: "welcome",
  version: "1.0",
  initial_state: "welcome",
  states: { welcome: { type: "response", config: { response_templates: { default: WELCOME }, quick_replies: QUICK_REPLIES }, transitions: [{ condition: "any_input", target_state: "welcome" }] } },
};

type Handle = Awaited<ReturnType<typeof createTestDb>>;
type WebhookInit = { method?: "GET" | "POST"; body?: string; headers?: Record<string, string>; query?: string };

/** A messaging channel's webhook as the route receives a platform's POST (or GET), answered at `now`. */
export const webhookOf =
  (handle: Handle, type: ChannelUpdate["type"], publicKey: string) =>
  (init: WebhookInit, now = new Date()): Promise<Response> =>
    handleWebhook({ db: handle.db, now: () => now }, new Request(`http://127.0.0.1/api/webhooks/${type}/${publicKey}${init.query ?? ""}`, { method: init.method ?? "POST", body: init.body, headers: init.headers }), { type, channelId: publicKey });

/**
 * A tenant with the welcome flow live and one messaging channel, and the three steps a platform's message
 * goes through: the webhook (called in process), the inbox processor and the outbox.
 */
export async function channelTenant(handle: Handle, email: string, channel: ChannelUpdate) {
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Acme", email, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  const flow = await createFlow(handle.db, tenant.id, null, { name: "welcome", definition: welcomeFlow });
  await publishFlow(handle.db, tenant.id, null, flow.id);
  const view = await upsertChannel(handle.db, tenant.id, null, channel);
  return {
    tenantId: tenant.id,
    channel: view,
    webhook: webhookOf(handle, channel.type, view.publicKey),
    /**
     * Runs the stored events' turns, then sends what is due; returns how many outbox rows were claimed. The
     * clock is the real one unless `now` is given: rows are due from when they were written.
     */
    async runTurnsAndSend(now?: Date): Promise<number> {
      await processInboxBatch(handle.db, () => ({ db: handle.db }), now ?? new Date());
      return deliverOutboxBatch(handle.db, { now: now ?? new Date(), random: () => 0 });
    },
  };
}
