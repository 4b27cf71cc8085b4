import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channels, conversations, messages, outboxMessages } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import type { DeliveryAddress } from "@/server/channels/delivery-address";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { onDeliveryWake } from "@/server/outbox/wake";
import type { InboundMessage } from "@/server/pipeline/message-schema";
import { processMessage, type PipelineDeps } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let deps: PipelineDeps;
let tenantId: string;
let delivery: DeliveryAddress;
let wakes = 0;
let stopListening: () => void;

// Every turn answers with three messages: two states pass the input on, the third waits.
const THREE_REPLIES = {
  name: "three replies",
  version: "1.0",
  initial_state: "one",
  states: {
    one: { type: "response", config: { response_templates: { default: "First: we got your message." } }, transitions: [{ condition: "fallback", target_state: "two" }] },
    two: { type: "response", config: { response_templates: { default: "Second: we are looking into it." } }, transitions: [{ condition: "fallback", target_state: "three" }] },
    three: { type: "response", config: { response_templates: { default: "Third: anything else?" } }, transitions: [{ condition: "any_input", target_state: "one" }] },
  },
};

beforeAll(async () => {
  handle = await createTestDb();
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Acme", email: "owner@acme.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  tenantId = tenant.id;
  const flow = await createFlow(handle.db, tenantId, null, { name: "three", definition: THREE_REPLIES });
  await publishFlow(handle.db, tenantId, null, flow.id);
  const [channel] = await handle.db.insert(channels).values({ tenantId, type: "whatsapp", enabled: true, publicKey: `ch_${randomUUID()}` }).returning();
  delivery = { channel_id: channel!.id, recipient: "15551230001" };
  deps = { db: handle.db };
  stopListening = onDeliveryWake(() => wakes++);
});
afterAll(async () => {
  stopListening();
  await handle.dispose();
});

const whatsapp = (userId: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ user_id: userId, channel: "whatsapp", content: { type: "text", text }, ...extra });

async function stored(conversationId: string) {
  const rows = await handle.db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.sequence));
  const outbox = await handle.db.select().from(outboxMessages).where(eq(outboxMessages.conversationId, conversationId)).orderBy(asc(outboxMessages.sequence));
  const [conversation] = await handle.db.select().from(conversations).where(eq(conversations.id, conversationId));
  return { rows, outbox, conversation: conversation! };
}

describe("a messaging-channel turn queues its replies in the outbox", () => {
  it("writes one queued outbox row per reply, in sequence, with the address kept on the conversation; a redelivery writes nothing", async () => {
    const before = wakes;
    const first = await processMessage(deps, tenantId, whatsapp("15551230001", "Where is my parcel?", { message_id: "wamid.A1", delivery }));
    expect(first.response.messages.map((m) => m.text)).toEqual(["First: we got your message.", "Second: we are looking into it.", "Third: anything else?"]);
    expect(wakes).toBe(before + 1);

    let { rows, outbox, conversation } = await stored(first.conversation_id);
    expect(conversation.deliveryAddress).toEqual(delivery);
    const replies = rows.filter((m) => m.direction === "outbound");
    expect(replies.map((m) => m.metadata.delivery_status)).toEqual(["queued", "queued", "queued"]);
    expect(outbox.map((o) => ({ messageId: o.messageId, sequence: o.sequence, state: o.state, deliveryStatus: o.deliveryStatus, address: o.address, text: o.payload.text, tenantId: o.tenantId, channelId: o.channelId })))
      .toEqual(replies.map((m, i) => ({ messageId: m.id, sequence: i + 2, state: "queued", deliveryStatus: "queued", address: delivery, text: m.text, tenantId, channelId: delivery.channel_id })));
    expect(outbox[0]!.payload).toEqual({ type: "text", text: "First: we got your message." });

    const again = await processMessage(deps, tenantId, whatsapp("15551230001", "Where is my parcel?", { message_id: "wamid.A1", delivery }));
    expect(again).toMatchObject({ duplicate: true, conversation_id: first.conversation_id });
    expect(wakes).toBe(before + 1);

    // The next message continues the conversation; its replies queue behind the first three.
    await processMessage(deps, tenantId, whatsapp("15551230001", "Thanks", { message_id: "wamid.A2", delivery }));
    ({ rows, outbox, conversation } = await stored(first.conversation_id));
    expect(rows).toHaveLength(8);
    expect(outbox.map((o) => [o.sequence, o.payload.text])).toEqual([
      [2, "First: we got your message."],
      [3, "Second: we are looking into it."],
      [4, "Third: anything else?"],
      [6, "First: we got your message."],
      [7, "Second: we are looking into it."],
      [8, "Third: anything else?"],
    ]);
    expect(wakes).toBe(before + 2);
  });

  it("queues nothing for a turn without a delivery address, and gives its conversation the address of the first webhook turn", async () => {
    const api = await processMessage(deps, tenantId, whatsapp("15551230002", "Hello from the API"));
    let { outbox, conversation } = await stored(api.conversation_id);
    expect(outbox).toEqual([]);
    expect(conversation.deliveryAddress).toBeNull();

    const address = { ...delivery, recipient: "15551230002" };
    const hook = await processMessage(deps, tenantId, whatsapp("15551230002", "And now from WhatsApp", { message_id: "wamid.B1", delivery: address }));
    expect(hook.conversation_id).toBe(api.conversation_id);
    ({ outbox, conversation } = await stored(api.conversation_id));
    expect(conversation.deliveryAddress).toEqual(address);
    expect(outbox.map((o) => o.sequence)).toEqual([6, 7, 8]);
  });

  it("stores neither the messages nor their outbox rows when the turn's write fails", async () => {
    const before = wakes;
    const nowhere = { channel_id: randomUUID(), recipient: "15551230003" };
    await expect(processMessage(deps, tenantId, whatsapp("15551230003", "Hello?", { message_id: "wamid.C1", delivery: nowhere }))).rejects.toThrow();
    const left = await handle.db.select().from(conversations).where(eq(conversations.endUserId, "15551230003"));
    const inbound = await handle.db.select().from(messages).where(eq(messages.externalId, "wamid.C1"));
    const queued = await handle.db.select().from(outboxMessages).where(eq(outboxMessages.channelId, nowhere.channel_id));
    expect({ conversations: left.length, messages: inbound.length, outbox: queued.length, wakes: wakes - before }).toEqual({ conversations: 0, messages: 0, outbox: 0, wakes: 0 });
  });
});
