import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { conversationEvents, conversations, messages } from "@/db/schema";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { fireAwayTimeouts, setAvailability, takeConversation } from "@/server/inbox/handoff-service";
import { processMessage } from "@/server/pipeline/process-message";
import { useWorkspaces } from "../helpers/flow-workspaces";

const AWAY_AFTER_SECONDS = 300;

const awayFlow = (handoff: Record<string, unknown>) => ({
  name: "support",
  version: "1",
  initial_state: "router",
  intents: { human_escalation: { examples: ["I want to talk to a person", "connect me to a human", "real person please", "speak to an agent"] } },
  states: {
    router: {
      type: "intent",
      config: { intent_patterns: ["human_escalation"], confidence_threshold: 0.5 },
      transitions: [
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff" },
        { condition: "fallback", target_state: "answer" },
      ],
    },
    answer: { type: "response", config: { response_templates: { default: "I can help with orders and returns." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    collect_email: {
      type: "slot_filling",
      config: { required_slots: ["email"], prompts: { email: "What email should we write to?" }, validation: { email: { type: "email", error_message: "That doesn't look like an email address." } } },
      transitions: [{ condition: "slot_filled", target_state: "confirm" }],
    },
    confirm: { type: "response", config: { response_templates: { default: "Thanks, we will write to {email} within a day." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    handoff: { type: "handoff", config: { message: "I'm connecting you with a colleague.", ...handoff }, transitions: [{ condition: "fallback", target_state: "collect_email" }] },
  },
});

const w = useWorkspaces();
let visitors = 0;

async function workspaceWith(name: string, definition: unknown | null) {
  const ws = await w.workspace(name, `owner-${++visitors}-${Date.now()}@${name.toLowerCase()}.test`);
  if (definition) {
    const flow = await createFlow(w.db, ws.tenantId, ws.ownerId, { name: "support", definition });
    await publishFlow(w.db, ws.tenantId, ws.ownerId, flow.id);
  }
  return ws;
}

const secondsAfter = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);

/** A visitor who asks for a person at `at`; returns the waiting conversation. */
async function waiting(tenantId: string, at: Date, text = "I want to talk to a person") {
  const user = `visitor-${++visitors}`;
  const asked = await processMessage({ db: w.db, now: () => at }, tenantId, { user_id: user, channel: "web", content: { type: "text", text } });
  expect(asked.response.messages.map((m) => m.text)).toEqual([expect.stringMatching(/connecting you/)]);
  return { id: asked.conversation_id, user };
}

const say = (tenantId: string, id: string, user: string, text: string, at: Date) =>
  processMessage({ db: w.db, now: () => at }, tenantId, { user_id: user, channel: "web", conversation_id: id, content: { type: "text", text } });

const statusOf = async (tenantId: string, id: string) =>
  (await w.db.select({ status: conversations.status }).from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id))))[0]!.status;

const outbound = async (tenantId: string, id: string) =>
  w.db
    .select({ text: messages.text, metadata: messages.metadata })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, id), eq(messages.direction, "outbound")))
    .orderBy(asc(messages.sequence));

const awayEvents = (tenantId: string, id: string) =>
  w.db
    .select({ from: conversationEvents.fromStatus, to: conversationEvents.toStatus, actor: conversationEvents.actorLabel, actorUserId: conversationEvents.actorUserId, detail: conversationEvents.detail })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.tenantId, tenantId), eq(conversationEvents.conversationId, id), eq(conversationEvents.kind, "away_timeout")));

describe("the away timer of a handoff state", () => {
  let tenantId: string;
  let ownerId: string;
  beforeAll(async () => {
    ({ tenantId, ownerId } = await workspaceWith("Acme", awayFlow({ away_timeout_seconds: AWAY_AFTER_SECONDS, away_message: "Our team is away. Leave your email and we'll write back." })));
  });

  it("hands a conversation nobody answered back to the flow once the wait passes the timeout, with the away message and the fallback transition", async () => {
    const start = new Date();
    const { id, user } = await waiting(tenantId, start);

    expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS - 30))).toBe(0);
    expect(await statusOf(tenantId, id)).toBe("escalated");

    expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS + 10))).toBe(1);
    expect(await statusOf(tenantId, id)).toBe("in_progress");
    const replies = await outbound(tenantId, id);
    expect(replies.at(-1)).toEqual({ text: "Our team is away. Leave your email and we'll write back.", metadata: { author: "bot", state: "handoff", delivery_status: "delivered" } });
    expect(await awayEvents(tenantId, id)).toEqual([{ from: "escalated", to: "in_progress", actor: "away timer", actorUserId: null, detail: { resume_state: "collect_email", waited_seconds: expect.any(Number) } }]);

    // It fired once: running the timer again changes nothing.
    expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS + 600))).toBe(0);
    expect((await outbound(tenantId, id)).length).toBe(replies.length);

    // The visitor's next message is answered at the fallback transition's state.
    const next = await say(tenantId, id, user, "jo@example.com", secondsAfter(start, AWAY_AFTER_SECONDS + 700));
    expect(next.response.messages.map((m) => m.text)).toEqual(["Thanks, we will write to jo@example.com within a day."]);
  });

  it("waits while a member of the workspace is available, and runs once nobody is", async () => {
    const start = new Date();
    const { id } = await waiting(tenantId, start);
    await setAvailability(w.db, tenantId, ownerId, true);
    try {
      expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS * 10))).toBe(0);
      expect(await statusOf(tenantId, id)).toBe("escalated");
    } finally {
      await setAvailability(w.db, tenantId, ownerId, false);
    }
    expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS * 10))).toBe(1);
    expect(await statusOf(tenantId, id)).toBe("in_progress");
  });

  it("leaves a conversation an agent has taken alone", async () => {
    const start = new Date();
    const { id } = await waiting(tenantId, start);
    await takeConversation(w.db, tenantId, id, { userId: ownerId, label: "owner" }, start);
    expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS * 10))).toBe(0);
    expect(await statusOf(tenantId, id)).toBe("with_agent");
    expect(await awayEvents(tenantId, id)).toEqual([]);
  });

  it("hands each conversation back once when two processes run the timer at the same moment", async () => {
    const start = new Date();
    const { id } = await waiting(tenantId, start);
    const at = secondsAfter(start, AWAY_AFTER_SECONDS + 10);
    const [first, second] = await Promise.all([fireAwayTimeouts(w.db, at), fireAwayTimeouts(w.db, at)]);
    expect(first + second).toBe(1);
    expect((await outbound(tenantId, id)).filter((m) => m.metadata.author === "bot" && m.text?.startsWith("Our team is away"))).toHaveLength(1);
    expect(await awayEvents(tenantId, id)).toHaveLength(1);
  });

  it("is not stopped by members of another workspace being available", async () => {
    const other = await workspaceWith("Globex", null);
    await setAvailability(w.db, other.tenantId, other.ownerId, true);
    const start = new Date();
    const { id } = await waiting(tenantId, start);
    expect(await fireAwayTimeouts(w.db, secondsAfter(start, AWAY_AFTER_SECONDS + 10))).toBe(1);
    expect(await statusOf(tenantId, id)).toBe("in_progress");
  });
});

describe("handoffs without an away timeout", () => {
  it("wait for a person however long it takes, on a published flow or the starter flow", async () => {
    const configured = await workspaceWith("Initech", awayFlow({}));
    const starter = await workspaceWith("Umbrella", null);
    const start = new Date();
    const onFlow = await waiting(configured.tenantId, start);
    const onStarter = await waiting(starter.tenantId, start, "talk to a human");
    expect(await fireAwayTimeouts(w.db, secondsAfter(start, 30 * 24 * 3600))).toBe(0);
    expect(await statusOf(configured.tenantId, onFlow.id)).toBe("escalated");
    expect(await statusOf(starter.tenantId, onStarter.id)).toBe("escalated");
  });

  it("send the default away message when the state names none", async () => {
    const { tenantId } = await workspaceWith("Hooli", awayFlow({ away_timeout_seconds: 60 }));
    const start = new Date();
    const { id } = await waiting(tenantId, start);
    expect(await fireAwayTimeouts(w.db, secondsAfter(start, 70))).toBe(1);
    expect((await outbound(tenantId, id)).at(-1)?.text).toBe("Our team is away right now. We'll get back to you as soon as we can.");
  });
});
