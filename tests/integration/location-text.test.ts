import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let tenantId: string;

beforeAll(async () => {
  handle = await createTestDb();
  ({ tenant: { id: tenantId } } = await createTenantWithOwner(handle.db, { companyName: "Echo Co", email: "echo@location.test", passwordHash: "x", verified: true }));
  const definition = {
    name: "echo",
    version: "1",
    initial_state: "echo",
    states: { echo: { type: "response", config: { response_templates: { default: "You said: {input}" } }, transitions: [{ condition: "any_input", target_state: "echo" }] } },
  };
  const flow = await createFlow(handle.db, tenantId, null, { name: "echo", definition });
  await publishFlow(handle.db, tenantId, null, flow.id);
});
afterAll(() => handle.dispose());

describe("an input's text is computed once", () => {
  it("gives the flow and the stored message the same text for a location, an attachment and a text", async () => {
    const sent = [
      { type: "location", latitude: 52.52, longitude: 13.405, name: "Berlin store" },
      { type: "image", url: "https://cdn.example.com/damage.jpg", mime_type: "image/jpeg", size_bytes: 48_000, caption: "arrived damaged" },
      { type: "text", text: "hello there" },
    ] as const;
    let conversation_id: string | undefined;
    const replies: string[] = [];
    for (const content of sent) {
      const result = await processMessage({ db: handle.db }, tenantId, { user_id: "walker", channel: "whatsapp", conversation_id, content });
      conversation_id = result.conversation_id;
      replies.push(result.response.text);
    }
    const inbound = await handle.db.select({ text: messages.text }).from(messages).where(and(eq(messages.conversationId, conversation_id!), eq(messages.direction, "inbound"))).orderBy(asc(messages.sequence));
    expect(inbound.map((m) => m.text)).toEqual(["Berlin store", "arrived damaged", "hello there"]);
    expect(replies).toEqual(inbound.map((m) => `You said: ${m.text}`));
  });
});
