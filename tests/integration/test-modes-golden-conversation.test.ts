import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { converse, CONVERSATION, createGoldenTenant, type ProviderTarget } from "../helpers/golden-scenarios";
import { createTestDb } from "../helpers/test-db";

// A stored conversation, replayed in GOLDEN mode through the whole pipeline (flow engine, model router,
// provider client), gives the same replies every time: the ones the model gave when it was recorded.
const DIR = path.resolve("tests/cassettes");
const NOWHERE: ProviderTarget = { baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-not-the-recorded-one", allowedHosts: ["127.0.0.1:9"] };
const saved = { mode: process.env.TEST_MODE, dir: process.env.CASSETTE_DIR, speed: process.env.CASSETTE_SPEED };
let handle: Awaited<ReturnType<typeof createTestDb>>;
let tenantId: string;

beforeAll(async () => {
  process.env.TEST_MODE = "GOLDEN";
  process.env.CASSETTE_DIR = DIR;
  process.env.CASSETTE_SPEED = "0";
  handle = await createTestDb();
  tenantId = await createGoldenTenant(handle.db, NOWHERE);
});
afterAll(async () => {
  await handle.dispose();
  for (const [name, value] of [["TEST_MODE", saved.mode], ["CASSETTE_DIR", saved.dir], ["CASSETTE_SPEED", saved.speed]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function stored(conversationId: string, direction: "inbound" | "outbound"): Promise<string[]> {
  const rows = await handle.db.select({ content: messages.content }).from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.direction, direction))).orderBy(asc(messages.createdAt));
  return rows.map((r) => (r.content as { text: string }).text);
}

describe("a GOLDEN replay of a stored conversation", () => {
  it("gives the recorded model replies, identical across runs, without reaching any provider", async () => {
    const original = await converse(handle.db, tenantId, NOWHERE, "visitor-original", CONVERSATION);
    for (const [i, turn] of original.entries()) expect(turn.model_used, `turn "${CONVERSATION[i]}" got no cassette answer: ${turn.reply}`).toBe("openai:gpt-4o-mini");
    const conversationId = original[0]!.conversation_id;
    const recordedReplies = await stored(conversationId, "outbound");
    expect(recordedReplies).toEqual(original.map((t) => t.reply));

    // Each reply is the text of a recorded provider answer (the discard port never answers).
    const cassettes = readdirSync(DIR).map((f) => readFileSync(path.join(DIR, f), "utf8"));
    for (const reply of recordedReplies) expect(cassettes.some((c) => c.includes(JSON.stringify(JSON.stringify(reply)).slice(3, -3)))).toBe(true);

    const inbound = await stored(conversationId, "inbound");
    expect(inbound).toEqual(CONVERSATION);
    const first = await converse(handle.db, tenantId, NOWHERE, "visitor-replay-1", inbound);
    const second = await converse(handle.db, tenantId, NOWHERE, "visitor-replay-2", inbound);
    expect(new Set([conversationId, first[0]!.conversation_id, second[0]!.conversation_id]).size).toBe(3);
    expect(first.map((t) => t.reply)).toEqual(recordedReplies);
    expect(second.map((t) => t.reply)).toEqual(recordedReplies);
    expect(new Set(recordedReplies).size).toBe(CONVERSATION.length);
  });
});
