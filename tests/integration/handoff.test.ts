import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { conversationEvents, conversations, messages, users } from "@/db/schema";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { addNote, releaseConversation, resolveConversation, sendAgentMessage, setAvailability, takeConversation, type Actor } from "@/server/inbox/handoff-service";
import { getHistory } from "@/server/pipeline/conversation-queries";
import { processMessage } from "@/server/pipeline/process-message";
import { waitForChange } from "@/server/realtime/conversation-bus";
import { useWorkspaces } from "../helpers/flow-workspaces";

const supportFlow = {
  name: "support",
  version: "1",
  initial_state: "router",
  intents: {
    human_escalation: { examples: ["I want to talk to a person", "connect me to a human", "real person please", "speak to an agent"] },
    thanks: { examples: ["thank you", "thanks a lot", "cheers", "thanks"] },
  },
  states: {
    router: {
      type: "intent",
      config: { intent_patterns: ["human_escalation", "thanks"], confidence_threshold: 0.5 },
      transitions: [
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff" },
        { condition: "intent_match", condition_value: "thanks", target_state: "welcome" },
        { condition: "fallback", target_state: "answer" },
      ],
    },
    answer: { type: "response", config: { response_templates: { default: "I can help with orders and returns." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    welcome: { type: "response", config: { response_templates: { default: "You're welcome! Anything else?" } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    collect_email: {
      type: "slot_filling",
      config: { required_slots: ["email"], prompts: { email: "What email should we write to?" }, validation: { email: { type: "email", error_message: "That doesn't look like an email address." } } },
      transitions: [{ condition: "slot_filled", target_state: "confirm" }],
    },
    confirm: { type: "response", config: { response_templates: { default: "Thanks, we will write to {email}." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    handoff: { type: "handoff", config: { message: "I'm connecting you with a colleague.", waiting_message: "A colleague will answer here soon." }, transitions: [] },
  },
};

const w = useWorkspaces();
let tenantId: string;
let otherTenantId: string;
let ann: Actor;
let bob: Actor;
let outsider: Actor;
let visitorCount = 0;

async function member(tenant: string, email: string, name: string | null): Promise<Actor> {
  await w.memberOf(tenant, email, "member");
  const [user] = await w.db.update(users).set({ name }).where(eq(users.email, email)).returning({ id: users.id });
  return { userId: user!.id, label: email };
}

const say = (conversationId: string | undefined, user_id: string, text: string) =>
  processMessage({ db: w.db }, tenantId, { user_id, channel: "web", ...(conversationId && { conversation_id: conversationId }), content: { type: "text", text } });
const texts = (result: { response: { messages: { text: string }[] } }) => result.response.messages.map((m) => m.text);

/** A new visitor who asks for a person: the conversation waits for an agent. */
async function waitingConversation() {
  const user = `visitor-${++visitorCount}`;
  const asked = await say(undefined, user, "I want to talk to a person");
  expect(texts(asked)).toEqual(["I'm connecting you with a colleague."]);
  return { id: asked.conversation_id, user };
}

const row = async (id: string) => (await w.db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id))))[0]!;
const events = (id: string) =>
  w.db
    .select({ kind: conversationEvents.kind, from: conversationEvents.fromStatus, to: conversationEvents.toStatus, actor: conversationEvents.actorLabel, note: conversationEvents.note, detail: conversationEvents.detail })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.tenantId, tenantId), eq(conversationEvents.conversationId, id)))
    .orderBy(asc(conversationEvents.createdAt));

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, "expected a refusal").not.toBeNull();
  return error as { code: string; message: string; details?: Record<string, unknown> };
}

beforeAll(async () => {
  const acme = await w.workspace("Acme", `owner-${Date.now()}@acme.test`);
  tenantId = acme.tenantId;
  const flow = await createFlow(w.db, tenantId, acme.ownerId, { name: "support", definition: supportFlow });
  await publishFlow(w.db, tenantId, acme.ownerId, flow.id);
  ann = await member(tenantId, "ann@acme.test", "Ann Smith");
  bob = await member(tenantId, "bob@acme.test", null);
  const other = await w.workspace("Globex", `owner-${Date.now()}@globex.test`);
  otherTenantId = other.tenantId;
  outsider = await member(otherTenantId, "olga@globex.test", "Olga");
});

describe("an agent takes a waiting conversation and replies", () => {
  it("queues the visitor who asks for a person, gives the conversation to the agent who takes it, and stores their reply as theirs", async () => {
    const { id } = await waitingConversation();
    expect((await row(id)).status).toBe("escalated");

    const taken = await takeConversation(w.db, tenantId, id, ann);
    expect(taken).toMatchObject({ conversation_id: id, status: "with_agent", assigned_agent: { email: "ann@acme.test", name: "Ann Smith" }, current_state: "handoff" });
    // Taking again is harmless: it is already hers.
    expect((await takeConversation(w.db, tenantId, id, ann)).assigned_agent?.email).toBe("ann@acme.test");

    const before = await row(id);
    const reply = await sendAgentMessage(w.db, tenantId, id, ann, "  Hi, I'm Ann. Which order is it about?  ");
    expect(reply).toMatchObject({ conversation_id: id, text: "Hi, I'm Ann. Which order is it about?", author: "agent", agent_email: "ann@acme.test", delivery_status: "delivered", sequence: before.lastSequence + 1 });

    const history = await getHistory(w.db, tenantId, id, 1, 20);
    expect(history.messages.at(-1)).toMatchObject({ direction: "outbound", channel: "web", text: "Hi, I'm Ann. Which order is it about?", author: "agent" });
    const [stored] = await w.db.select({ metadata: messages.metadata }).from(messages).where(and(eq(messages.tenantId, tenantId), eq(messages.id, reply.message_id)));
    expect(stored!.metadata).toEqual({ author: "agent", agent_user_id: ann.userId, agent_email: "ann@acme.test", agent_name: "Ann Smith", delivery_status: "delivered" });

    const after = await row(id);
    expect(after).toMatchObject({ status: "with_agent", assignedTo: ann.userId, messageCount: before.messageCount + 1, lastSequence: reply.sequence });
    expect(after.firstHumanReplyAt?.toISOString()).toBe(reply.created_at);
    expect(after.handedOffAt).not.toBeNull();
    expect(await events(id)).toEqual([
      expect.objectContaining({ kind: "handoff_requested", to: "escalated", actor: "bot" }),
      expect.objectContaining({ kind: "taken", from: "escalated", to: "with_agent", actor: "ann@acme.test" }),
    ]);
  });

  it("refuses a second agent who tries to take or answer it, naming who has it", async () => {
    const { id } = await waitingConversation();
    await takeConversation(w.db, tenantId, id, ann);
    const took = await refusal(takeConversation(w.db, tenantId, id, bob));
    expect(took).toMatchObject({ code: "CONFLICT", message: "Ann Smith (ann@acme.test) has this conversation." });
    const wrote = await refusal(sendAgentMessage(w.db, tenantId, id, bob, "I can help too"));
    expect(wrote).toMatchObject({ code: "CONFLICT", message: "Ann Smith (ann@acme.test) has this conversation." });
    expect((await getHistory(w.db, tenantId, id, 1, 20)).messages.map((m) => m.text)).not.toContain("I can help too");
  });

  it("names an agent without a name by their email", async () => {
    const { id } = await waitingConversation();
    await takeConversation(w.db, tenantId, id, bob);
    expect(await refusal(takeConversation(w.db, tenantId, id, ann))).toMatchObject({ code: "CONFLICT", message: "bob@acme.test has this conversation." });
  });

  it("lets an agent step into a conversation the bot is having by writing: writing is taking", async () => {
    const user = `visitor-${++visitorCount}`;
    const { conversation_id: id } = await say(undefined, user, "where is my parcel?");
    expect((await row(id)).status).toBe("in_progress");
    await sendAgentMessage(w.db, tenantId, id, bob, "Bob here, let me check your parcel.");
    expect(await row(id)).toMatchObject({ status: "with_agent", assignedTo: bob.userId });
    expect(await events(id)).toEqual([expect.objectContaining({ kind: "taken", from: "in_progress", to: "with_agent", actor: "bob@acme.test" })]);
  });

  it("refuses an empty or overlong reply, naming the field", async () => {
    const { id } = await waitingConversation();
    expect(await refusal(sendAgentMessage(w.db, tenantId, id, ann, "   "))).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "text" } });
    expect(await refusal(sendAgentMessage(w.db, tenantId, id, ann, "x".repeat(4001)))).toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringContaining("4000"), details: { field: "text" } });
    expect((await row(id)).status).toBe("escalated");
  });

  it("tells live readers of the conversation at once", async () => {
    const { id } = await waitingConversation();
    const started = Date.now();
    const woken = waitForChange(tenantId, { conversationId: id, timeoutMs: 5000 });
    await takeConversation(w.db, tenantId, id, ann);
    await woken;
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("handing back to the bot", () => {
  it("answers the visitor's next message at the state the agent chose", async () => {
    const { id, user } = await waitingConversation();
    await sendAgentMessage(w.db, tenantId, id, ann, "I'll pass you back to our assistant to note your email.");
    const released = await releaseConversation(w.db, tenantId, id, ann, { resumeState: "collect_email" });
    expect(released).toMatchObject({ status: "in_progress", current_state: "collect_email", assigned_agent: { email: "ann@acme.test" } });
    expect(await events(id)).toContainEqual(expect.objectContaining({ kind: "released", from: "with_agent", to: "in_progress", actor: "ann@acme.test", detail: { resume_state: "collect_email" } }));

    const next = await say(id, user, "jo@example.com");
    expect(texts(next)).toEqual(["Thanks, we will write to jo@example.com."]);
    expect((await row(id)).status).toBe("in_progress");
  });

  it("resumes at the flow's initial state when no state is chosen, also straight from the queue", async () => {
    const { id, user } = await waitingConversation();
    expect(await releaseConversation(w.db, tenantId, id, ann)).toMatchObject({ status: "in_progress", current_state: "router", assigned_agent: null });
    expect(texts(await say(id, user, "thanks a lot"))).toEqual(["You're welcome! Anything else?"]);
  });

  it("refuses a state the conversation's flow does not have, listing the ones it has", async () => {
    const { id } = await waitingConversation();
    const error = await refusal(releaseConversation(w.db, tenantId, id, ann, { resumeState: "checkout" }));
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringContaining('"checkout" is not a state'), details: { field: "resume_state", states: expect.arrayContaining(["router", "collect_email"]) } });
    expect((await row(id)).status).toBe("escalated");
  });

  it("refuses to hand back a conversation the bot already has", async () => {
    const { id } = await waitingConversation();
    await releaseConversation(w.db, tenantId, id, ann);
    expect(await refusal(releaseConversation(w.db, tenantId, id, ann))).toMatchObject({ code: "CONFLICT", message: "The bot already has this conversation." });
  });
});

describe("resolving", () => {
  it("closes the conversation, and the visitor who writes again is answered by the bot", async () => {
    const { id, user } = await waitingConversation();
    await sendAgentMessage(w.db, tenantId, id, ann, "Your refund is on its way.");
    const resolved = await resolveConversation(w.db, tenantId, id, ann);
    expect(resolved).toMatchObject({ status: "resolved", assigned_agent: { email: "ann@acme.test" } });
    expect((await row(id)).resolvedAt?.toISOString()).toBe(resolved.status_changed_at);
    expect(await events(id)).toContainEqual(expect.objectContaining({ kind: "resolved", from: "with_agent", to: "resolved", actor: "ann@acme.test" }));
    expect(await refusal(resolveConversation(w.db, tenantId, id, ann))).toMatchObject({ code: "CONFLICT", message: "This conversation is already resolved." });
    expect(await refusal(takeConversation(w.db, tenantId, id, bob))).toMatchObject({ code: "CONFLICT" });

    const again = await say(id, user, "thank you");
    expect(again.conversation_id).toBe(id);
    expect(texts(again)).toEqual(["You're welcome! Anything else?"]);
    expect((await row(id)).status).toBe("in_progress");
  });

  it("reopens a resolved conversation with the agent who writes to it", async () => {
    const { id } = await waitingConversation();
    await resolveConversation(w.db, tenantId, id, ann);
    await sendAgentMessage(w.db, tenantId, id, bob, "One more thing about your order.");
    expect(await row(id)).toMatchObject({ status: "with_agent", assignedTo: bob.userId });
    expect((await events(id)).map((e) => [e.kind, e.from, e.to, e.actor])).toEqual([
      ["handoff_requested", null, "escalated", "bot"],
      ["resolved", "escalated", "resolved", "ann@acme.test"],
      ["reopened", "resolved", "with_agent", "bob@acme.test"],
    ]);
  });
});

describe("internal notes", () => {
  it("are kept for the team as events and never appear among the messages the visitor sees", async () => {
    const { id } = await waitingConversation();
    const note = await addNote(w.db, tenantId, id, ann, "VIP customer, refund approved by Dana.");
    expect(note).toMatchObject({ note: "VIP customer, refund approved by Dana.", actor_label: "ann@acme.test" });
    expect(await events(id)).toContainEqual(expect.objectContaining({ kind: "note", note: "VIP customer, refund approved by Dana.", actor: "ann@acme.test", from: null, to: null }));
    const texts = (await w.db.select({ text: messages.text }).from(messages).where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, id)))).map((m) => m.text);
    expect(texts).not.toContain("VIP customer, refund approved by Dana.");
    expect((await getHistory(w.db, tenantId, id, 1, 20)).messages.map((m) => m.text)).not.toContain("VIP customer, refund approved by Dana.");
    expect((await row(id)).status).toBe("escalated");
    expect(await refusal(addNote(w.db, tenantId, id, ann, ""))).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "note" } });
  });
});

describe("another workspace", () => {
  it("finds none of this workspace's conversations, whatever it tries", async () => {
    const { id } = await waitingConversation();
    const recorded = await events(id);
    // One at a time: each attempt is started only once the previous refusal is in hand.
    const attempts = [
      () => takeConversation(w.db, otherTenantId, id, outsider),
      () => releaseConversation(w.db, otherTenantId, id, outsider),
      () => resolveConversation(w.db, otherTenantId, id, outsider),
      () => sendAgentMessage(w.db, otherTenantId, id, outsider, "Hello from Globex"),
      () => addNote(w.db, otherTenantId, id, outsider, "Globex was here"),
    ];
    for (const attempt of attempts) expect(await refusal(attempt())).toMatchObject({ code: "NOT_FOUND", message: "Conversation not found." });
    expect(await row(id)).toMatchObject({ status: "escalated", assignedTo: null });
    expect(await events(id)).toEqual(recorded);
  });

  it("cannot act as an agent here: its member is no member of this workspace", async () => {
    const { id } = await waitingConversation();
    expect(await refusal(takeConversation(w.db, tenantId, id, outsider))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(sendAgentMessage(w.db, tenantId, id, outsider, "Hello from Globex"))).toMatchObject({ code: "FORBIDDEN" });
    expect((await row(id)).status).toBe("escalated");
  });

  it("finds no conversation for a malformed id", async () => {
    expect(await refusal(takeConversation(w.db, tenantId, "not-a-uuid", ann))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("availability", () => {
  it("is set per member of the workspace, and refused for anyone else", async () => {
    await setAvailability(w.db, tenantId, ann.userId!, true);
    await setAvailability(w.db, tenantId, ann.userId!, false);
    expect(await refusal(setAvailability(w.db, tenantId, outsider.userId!, true))).toMatchObject({ code: "NOT_FOUND", message: "Member not found." });
  });
});
